// Outputs that appear whole or not at all, and runs that stop cleanly on SIGINT/SIGTERM.
//
// An OutputFile writes to a hidden temporary file beside its final path (".NAME.tmp-PID-N") and renames it over the
// final path on commit(), after a flush and an fsync; destroyed without commit() (an error, a limit, a signal) it
// removes the temporary file, so a failed or killed run never leaves a torn file under the final name. A path that
// exists and is not a regular file (/dev/stdout, /dev/null, /dev/full, a FIFO) is written directly. Every failure
// (cannot create, write error, full disk, rename) is an InputError naming the final path and the system's reason.
//
// install_stop_handlers() makes SIGINT and SIGTERM request a stop: RunControl::check_time and
// throw_if_stop_requested() then throw Interrupted, which unwinds (temporary files removed) to an exit 128 + signal.
// A run still going one second after the signal (a phase that does not poll) is ended by the handler itself: it
// removes the temporary files of every open OutputFile and exits 128 + signal.
#pragma once

#include "arrangement/errors.hpp"

#include <atomic>
#include <memory>
#include <ostream>
#include <string>

namespace chamber {

/*! the signal that asked the run to stop (SIGINT, SIGTERM), or 0. */
int stop_signal();

/*! throws Interrupted when a stop signal has arrived; `what` names the phase for the message. */
void throw_if_stop_requested(const char* what);

/*! installs the SIGINT/SIGTERM handlers described above (once per process; the CLI's main calls it). */
void install_stop_handlers();

/*! asks the running computation to stop as `signal_number` would (Interrupted at its next poll), without the hard
 * stop a second later: for embedders that watch their own signals (the Python module on Ctrl-C). */
void ask_to_stop(int signal_number);
/*! forgets a stop request, so that the next computation runs (after ask_to_stop, once the computation unwound). */
void clear_stop_request();

class OutputFile {
 public:
  /*! opens the temporary file for `path`. \throws InputError naming `path` when it cannot be created. */
  explicit OutputFile(std::string path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /*! the stream to write to. */
  std::ostream& stream();
  /*! the final path. */
  const std::string& path() const { return path_; }
  /*! flushes, syncs and renames onto the final path. \throws InputError naming the path on any failure. */
  void commit();

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

/*! writes `content` to `path` through an OutputFile (whole or not at all). */
void write_file_atomically(const std::string& path, const std::string& content);

/*! returns `bytes` gzip-compressed at `level` (no name, time 0: the same bytes on every run). */
std::string gzip_bytes(const std::string& bytes, int level = 9);

}  // namespace chamber
