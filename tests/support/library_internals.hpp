// Test support: everything <rekognition/client.hpp> brings in header-only
// mode (the client's internals and the model lifecycle helpers), so the tests
// that use them build in compiled mode too, where client.hpp is declarations
// only.
#ifndef REKOGNITION_TESTS_SUPPORT_LIBRARY_INTERNALS_HPP
#define REKOGNITION_TESTS_SUPPORT_LIBRARY_INTERNALS_HPP

#include <rekognition/client.hpp>
#include <rekognition/client_core.hpp>
#include <rekognition/lifecycle/paginators.hpp>
#include <rekognition/lifecycle/running_model.hpp>
#include <rekognition/lifecycle/waiters.hpp>

#endif  // REKOGNITION_TESTS_SUPPORT_LIBRARY_INTERNALS_HPP
