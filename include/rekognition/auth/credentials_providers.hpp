// rekognition-cpp: every credentials provider, in one include.
#ifndef REKOGNITION_AUTH_CREDENTIALS_PROVIDERS_HPP
#define REKOGNITION_AUTH_CREDENTIALS_PROVIDERS_HPP

#include "rekognition/auth/assume_role_credentials_provider.hpp"
#include "rekognition/auth/caching_credentials_provider.hpp"
#include "rekognition/auth/chain_credentials_provider.hpp"
#include "rekognition/auth/container_credentials_provider.hpp"
#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/default_credentials_chain.hpp"
#include "rekognition/auth/instance_metadata_credentials_provider.hpp"
#include "rekognition/auth/process_credentials_provider.hpp"
#include "rekognition/auth/profile_credentials_provider.hpp"
#include "rekognition/auth/sso_credentials_provider.hpp"
#include "rekognition/auth/web_identity_credentials_provider.hpp"

#endif  // REKOGNITION_AUTH_CREDENTIALS_PROVIDERS_HPP
