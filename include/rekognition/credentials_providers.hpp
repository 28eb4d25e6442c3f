// rekognition-cpp: every credentials provider, in one include.
#ifndef REKOGNITION_CREDENTIALS_PROVIDERS_HPP
#define REKOGNITION_CREDENTIALS_PROVIDERS_HPP

#include "rekognition/caching_credentials_provider.hpp"
#include "rekognition/chain_credentials_provider.hpp"
#include "rekognition/container_credentials_provider.hpp"
#include "rekognition/credentials.hpp"
#include "rekognition/default_credentials_chain.hpp"
#include "rekognition/instance_metadata_credentials_provider.hpp"
#include "rekognition/process_credentials_provider.hpp"
#include "rekognition/profile_credentials_provider.hpp"

#endif  // REKOGNITION_CREDENTIALS_PROVIDERS_HPP
