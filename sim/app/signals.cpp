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
  // A closed terminal (SIGHUP) and Ctrl-\ (SIGQUIT) stop a command as Ctrl-C does: partial
  // files deleted, exit 130. A file size limit (SIGXFSZ, ulimit -f) would kill the process
  // with no word: ignored, the write fails with EFBIG and the error names the limit.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(s, on_signal);
  std::signal(SIGXFSZ, SIG_IGN);
}

int default_threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace trustsim::app
