#include "arrangement/output_file.hpp"

#include <zlib.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <streambuf>
#include <vector>

namespace chamber {

namespace {

std::atomic<int> requested_signal{0};

// --- The registry of temporary files, readable from a signal handler -------------------------------------------------
// Fixed slots (no allocation in the handler): a slot is claimed with `state` 0 → 1, filled, then published with 2;
// the handler unlinks the paths of published slots. A run with more open outputs than slots still works; only the
// hard stop one second after a signal could then leave an unregistered temporary file behind.

constexpr std::size_t slot_count = 256;
constexpr std::size_t slot_path_bytes = 4096;

struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being written, 2 published
  char path[slot_path_bytes];
};

std::array<Slot, slot_count>& slots() {
  static std::array<Slot, slot_count> table;
  return table;
}

int register_temporary(const std::string& path) {
  if (path.size() >= slot_path_bytes) return -1;
  for (std::size_t i = 0; i < slot_count; ++i) {
    Slot& slot = slots()[i];
    int expected = 0;
    if (!slot.state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    slot.state.store(2);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_temporary(int index) {
  if (index >= 0) slots()[static_cast<std::size_t>(index)].state.store(0);
}

extern "C" void hard_stop(int) {
  for (Slot& slot : slots())
    if (slot.state.load() == 2) ::unlink(slot.path);
  const int signal_number = requested_signal.load();
  ::_exit(128 + (signal_number > 0 ? signal_number : SIGTERM));
}

extern "C" void request_stop(int signal_number) {
  int expected = 0;
  if (requested_signal.compare_exchange_strong(expected, signal_number)) {
    ::alarm(1);  // the run has one second to unwind by itself
  } else {
    hard_stop(signal_number);  // a second signal: stop now
  }
}

// --- A stream buffer over a file descriptor that keeps the errno of the first failure ---------------------------------

class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(1 << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr() && error_ == 0) {
      const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
      } else if (n == 0) {
        error_ = EIO;
      } else {
        p += n;
      }
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

std::string reason(int error) { return std::strerror(error); }

}  // namespace

int stop_signal() { return requested_signal.load(std::memory_order_relaxed); }

void throw_if_stop_requested(const char* what) {
  const int signal_number = stop_signal();
  if (signal_number != 0)
    throw Interrupted(std::string(signal_number == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)") +
                          " during " + what,
                      signal_number);
}

void ask_to_stop(int signal_number) { requested_signal.store(signal_number); }

void clear_stop_request() { requested_signal.store(0); }

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  struct sigaction alarm_action {};
  alarm_action.sa_handler = hard_stop;
  sigemptyset(&alarm_action.sa_mask);
  ::sigaction(SIGALRM, &alarm_action, nullptr);
  slots();  // the registry exists before any signal can arrive
}

struct OutputFile::Impl {
  int fd = -1;
  std::string temporary;  // empty: written directly (not a regular file)
  int slot = -1;
  std::unique_ptr<FdBuffer> buffer;
  std::unique_ptr<std::ostream> stream;
  bool committed = false;
};

OutputFile::OutputFile(std::string path) : path_(std::move(path)), impl_(std::make_unique<Impl>()) {
  if (path_.empty()) throw InputError("an output path is empty");
  struct stat info {};
  const bool exists = ::stat(path_.c_str(), &info) == 0;
  if (exists && S_ISDIR(info.st_mode)) throw InputError(path_ + ": cannot write: it is a directory");
  if (exists && !S_ISREG(info.st_mode)) {
    impl_->fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (impl_->fd < 0) throw InputError(path_ + ": cannot open for writing: " + reason(errno));
  } else {
    static std::atomic<unsigned> counter{0};
    const std::size_t slash = path_.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string() : path_.substr(0, slash + 1);
    std::string name = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    if (name.size() > 200) name.resize(200);  // the temporary name stays within NAME_MAX (255)
    impl_->temporary = dir + "." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    impl_->slot = register_temporary(impl_->temporary);
    impl_->fd = ::open(impl_->temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (impl_->fd < 0) {
      const int error = errno;
      unregister_temporary(impl_->slot);
      throw InputError(path_ + ": cannot open for writing: " + reason(error));
    }
  }
  impl_->buffer = std::make_unique<FdBuffer>(impl_->fd);
  impl_->stream = std::make_unique<std::ostream>(impl_->buffer.get());
}

OutputFile::~OutputFile() {
  if (!impl_) return;
  if (impl_->fd >= 0) ::close(impl_->fd);
  if (!impl_->committed && !impl_->temporary.empty()) ::unlink(impl_->temporary.c_str());
  unregister_temporary(impl_->slot);
}

std::ostream& OutputFile::stream() { return *impl_->stream; }

void OutputFile::commit() {
  if (impl_->committed) return;
  impl_->stream->flush();
  int error = impl_->buffer->error();
  if (error == 0 && !*impl_->stream) error = EIO;
  if (error == 0 && !impl_->temporary.empty() && ::fsync(impl_->fd) != 0) error = errno;
  if (::close(impl_->fd) != 0 && error == 0) error = errno;
  impl_->fd = -1;
  if (error != 0) throw InputError(path_ + ": write error: " + reason(error));
  if (!impl_->temporary.empty() && ::rename(impl_->temporary.c_str(), path_.c_str()) != 0)
    throw InputError(path_ + ": cannot write (rename): " + reason(errno));
  impl_->committed = true;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  OutputFile out(path);
  out.stream() << content;
  out.commit();
}

std::string gzip_bytes(const std::string& bytes, int level) {
  if (bytes.size() > 0xffffffffULL) throw InternalError("gzip: more than 4 GiB in one piece");
  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 and no file name.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw InternalError("gzip: cannot initialise zlib");
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw InternalError("gzip: deflate did not finish");
  out.resize(stream.total_out);
  return out;
}

}  // namespace chamber
