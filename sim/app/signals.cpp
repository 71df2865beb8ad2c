// Process-wide state of a command: cancellation by signal (a long command checks the flag
// between days and between runs), the default thread count, the command line as typed.
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

namespace {
std::string g_command_line;
}  // namespace

void set_command_line(int argc, char** argv) {
  g_command_line.clear();
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                         "-_./=:,+@%") == std::string::npos;
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    g_command_line += (i ? " " : "") + (plain ? a : q + "'");
  }
}

const std::string& command_line() { return g_command_line; }

}  // namespace trustsim::app
