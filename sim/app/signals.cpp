// Cancellation by signal: a long command checks the flag between days and between runs.
#include <csignal>
#include <thread>

#include "app/commands.hpp"

namespace trustsim::app {
namespace {
std::atomic<bool> g_cancel{false};
extern "C" void on_signal(int) { g_cancel.store(true); }
}  // namespace

std::atomic<bool>& cancel_flag() { return g_cancel; }

void install_signal_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

int default_threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace trustsim::app
