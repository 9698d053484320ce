package io.routeagent.kernel;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * {@link LibC} bound through jffi (jnr's JNI stub over libffi), loaded once; failing to load is
 * fatal and says so, never a silent fallback. Each function is a symbol of libc.so.6 and a call
 * context built from its C prototype, called with jffi's numeric invoker: arguments as 64-bit
 * values (an int sign-extended, a pointer as its address), the result as a 64-bit value that an
 * int function's caller narrows. Nothing reflects over annotations and no class is generated:
 * jnr-ffi, which bound libc from the annotations of an interface, made the JDK spin a proxy class
 * per annotation at every start (~75 ms of a one-shot command; the AOT cache cannot hold proxies).
 * What remains is jffi's own start: its stub loaded with System.load, a few reflective lookups.
 *
 * <p>Every call context but geteuid's saves errno into jffi's thread-local right after the call,
 * which {@link #lastErrno} reads: nothing that runs in between (freeing a string's copy, the
 * JVM's own work) can change it.
 */
final class NativeLibC implements LibC {
  /** The C library's soname on glibc (the bundle's floor is glibc; jnr-ffi mapped "c" to it). */
  private static final String LIBRARY = "libc.so.6";

  /**
   * The loaded library, or why it could not be loaded. Not a failing initializer: the JVM would
   * throw its exception to the first caller only, and a NoClassDefFoundError to every other (a
   * one-shot command opens the socket and the routes file on two threads).
   */
  private static final class Holder {
    static final Object LIBC = loadOrFailure();
  }

  private static Object loadOrFailure() {
    try {
      return load();
    } catch (NativeLoadException e) {
      return e;
    }
  }

  private final Invoker invoker = Invoker.getInstance();
  private final MemoryIO memory = MemoryIO.getInstance();
  private final Function socket;
  private final Function bind;
  private final Function getsockname;
  private final Function setsockopt;
  private final Function getsockopt;
  private final Function sendto;
  private final Function recv;
  private final Function close;
  private final Function poll;
  private final Function eventfd;
  private final Function read;
  private final Function write;
  private final Function open;
  private final Function openat;
  private final Function renameat;
  private final Function mkdirat;
  private final Function geteuid;

  /** A symbol's address and the call context of its prototype. */
  private record Function(long address, CallContext context) {}

  private NativeLibC(Library library) {
    Type i = Type.SINT;
    Type u = Type.UINT; // socklen_t, mode_t
    Type p = Type.POINTER;
    Type size = Type.ULONG; // size_t, nfds_t
    Type ssize = Type.SLONG; // ssize_t
    // int socket(int domain, int type, int protocol)
    socket = function(library, "socket", i, i, i, i);
    // int bind(int fd, const struct sockaddr *addr, socklen_t len)
    bind = function(library, "bind", i, i, p, u);
    // int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
    getsockname = function(library, "getsockname", i, i, p, p);
    // int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
    setsockopt = function(library, "setsockopt", i, i, i, i, p, u);
    // int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
    getsockopt = function(library, "getsockopt", i, i, i, i, p, p);
    // ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len)
    sendto = function(library, "sendto", ssize, i, p, size, i, p, u);
    // ssize_t recv(int fd, void *buf, size_t n, int flags)
    recv = function(library, "recv", ssize, i, p, size, i);
    // int close(int fd)
    close = function(library, "close", i, i);
    // int poll(struct pollfd *fds, nfds_t nfds, int timeout)
    poll = function(library, "poll", i, p, size, i);
    // int eventfd(unsigned int initval, int flags)
    eventfd = function(library, "eventfd", i, u, i);
    // ssize_t read(int fd, void *buf, size_t nbytes)
    read = function(library, "read", ssize, i, p, size);
    // ssize_t write(int fd, const void *buf, size_t n)
    write = function(library, "write", ssize, i, p, size);
    // int open(const char *file, int flags, ...): the mode, a variadic argument
    open = variadic(library, "open", 2, i, p, i, u);
    // int openat(int fd, const char *file, int flags, ...)
    openat = variadic(library, "openat", 3, i, i, p, i, u);
    // int renameat(int oldfd, const char *old, int newfd, const char *new)
    renameat = function(library, "renameat", i, i, p, i, p);
    // int mkdirat(int fd, const char *path, mode_t mode)
    mkdirat = function(library, "mkdirat", i, i, p, u);
    // uid_t geteuid(void): never fails, so errno is not saved
    geteuid = new Function(
        symbol(library, "geteuid"), CallContext.getCallContext(u, new Type[0], CallingConvention.DEFAULT, false));
  }

  private static NativeLibC load() {
    try {
      Library library = Library.openLibrary(LIBRARY, Library.LAZY | Library.LOCAL);
      if (library == null) {
        throw new NativeLoadException(
            "cannot load the C library (" + LIBRARY + ") through jffi: " + Library.getLastError(), null);
      }
      return new NativeLibC(library);
    } catch (RuntimeException | LinkageError e) {
      if (e instanceof NativeLoadException n) {
        throw n;
      }
      throw new NativeLoadException("cannot load the C library through jffi (" + e.getMessage() + ")", e);
    }
  }

  private static Function function(Library library, String name, Type result, Type... parameters) {
    return new Function(
        symbol(library, name), CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, true));
  }

  private static Function variadic(Library library, String name, int fixed, Type result, Type... parameters) {
    return new Function(
        symbol(library, name),
        CallContext.getCallContext(result, fixed, parameters, CallingConvention.DEFAULT, true));
  }

  private static long symbol(Library library, String name) {
    long address = library.getSymbolAddress(name);
    if (address == 0) {
      throw new NativeLoadException(
          "the C library (" + LIBRARY + ") has no " + name + ": " + Library.getLastError(), null);
    }
    return address;
  }

  /** libc, loaded at the first call. @throws NativeLoadException to every caller if it cannot be */
  static LibC libc() {
    Object libc = Holder.LIBC;
    if (libc instanceof NativeLoadException failure) {
      throw new NativeLoadException(failure.getMessage(), failure.getCause());
    }
    return (LibC) libc;
  }

  /** errno of the last failed call on this thread; valid only right after that call. */
  static Errno lastErrno() {
    return Errno.of(LastError.getInstance().get());
  }

  @Override
  public int socket(int domain, int type, int protocol) {
    return (int) invoker.invokeN3(socket.context, socket.address, domain, type, protocol);
  }

  @Override
  public int bind(int fd, ByteBuffer address, int addressLength) {
    int result = (int) invoker.invokeN3(bind.context, bind.address, fd, address(address), addressLength);
    Reference.reachabilityFence(address);
    return result;
  }

  @Override
  public int getsockname(int fd, ByteBuffer address, ByteBuffer addressLength) {
    int result = (int) invoker.invokeN3(
        getsockname.context, getsockname.address, fd, address(address), address(addressLength));
    Reference.reachabilityFence(address);
    Reference.reachabilityFence(addressLength);
    return result;
  }

  @Override
  public int setsockopt(int fd, int level, int option, ByteBuffer value, int valueLength) {
    int result = (int) invoker.invokeN5(
        setsockopt.context, setsockopt.address, fd, level, option, address(value), valueLength);
    Reference.reachabilityFence(value);
    return result;
  }

  @Override
  public int getsockopt(int fd, int level, int option, ByteBuffer value, ByteBuffer length) {
    int result = (int) invoker.invokeN5(
        getsockopt.context, getsockopt.address, fd, level, option, address(value), address(length));
    Reference.reachabilityFence(value);
    Reference.reachabilityFence(length);
    return result;
  }

  @Override
  public long sendto(int fd, ByteBuffer buffer, long length, int flags, ByteBuffer address, int addressLength) {
    long result = invoker.invokeN6(
        sendto.context, sendto.address, fd, address(buffer), length, flags, address(address), addressLength);
    Reference.reachabilityFence(buffer);
    Reference.reachabilityFence(address);
    return result;
  }

  @Override
  public long recv(int fd, ByteBuffer buffer, long length, int flags) {
    long result = invoker.invokeN4(recv.context, recv.address, fd, address(buffer), length, flags);
    Reference.reachabilityFence(buffer);
    return result;
  }

  @Override
  public int close(int fd) {
    return (int) invoker.invokeN1(close.context, close.address, fd);
  }

  @Override
  public int poll(ByteBuffer fds, long count, int timeoutMillis) {
    int result = (int) invoker.invokeN3(poll.context, poll.address, address(fds), count, timeoutMillis);
    Reference.reachabilityFence(fds);
    return result;
  }

  @Override
  public int eventfd(int initialValue, int flags) {
    return (int) invoker.invokeN2(eventfd.context, eventfd.address, initialValue, flags);
  }

  @Override
  public long read(int fd, ByteBuffer buffer, long length) {
    long result = invoker.invokeN3(read.context, read.address, fd, address(buffer), length);
    Reference.reachabilityFence(buffer);
    return result;
  }

  @Override
  public long write(int fd, ByteBuffer buffer, long length) {
    long result = invoker.invokeN3(write.context, write.address, fd, address(buffer), length);
    Reference.reachabilityFence(buffer);
    return result;
  }

  @Override
  public int open(String path, int flags, int mode) {
    long file = cString(path);
    try {
      return (int) invoker.invokeN3(open.context, open.address, file, flags, mode);
    } finally {
      memory.freeMemory(file);
    }
  }

  @Override
  public int openat(int directoryFd, String name, int flags, int mode) {
    long file = cString(name);
    try {
      return (int) invoker.invokeN4(openat.context, openat.address, directoryFd, file, flags, mode);
    } finally {
      memory.freeMemory(file);
    }
  }

  @Override
  public int renameat(int fromDirectoryFd, String from, int toDirectoryFd, String to) {
    long fromName = cString(from);
    try {
      long toName = cString(to);
      try {
        return (int) invoker.invokeN4(
            renameat.context, renameat.address, fromDirectoryFd, fromName, toDirectoryFd, toName);
      } finally {
        memory.freeMemory(toName);
      }
    } finally {
      memory.freeMemory(fromName);
    }
  }

  @Override
  public int mkdirat(int directoryFd, String name, int mode) {
    long path = cString(name);
    try {
      return (int) invoker.invokeN3(mkdirat.context, mkdirat.address, directoryFd, path, mode);
    } finally {
      memory.freeMemory(path);
    }
  }

  @Override
  public int geteuid() {
    return (int) invoker.invokeN0(geteuid.context, geteuid.address);
  }

  /** The address of a direct buffer's position. */
  private long address(ByteBuffer buffer) {
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException("a native call needs a direct buffer");
    }
    return memory.getDirectBufferAddress(buffer) + buffer.position();
  }

  /** A NUL-terminated copy of {@code text} in native memory, which the caller frees. */
  private long cString(String text) {
    byte[] bytes = text.getBytes(Charset.defaultCharset());
    long address = memory.allocateMemory(bytes.length + 1, false);
    if (address == 0) {
      throw new OutOfMemoryError("cannot allocate " + (bytes.length + 1) + " bytes for a path");
    }
    memory.putZeroTerminatedByteArray(address, bytes, 0, bytes.length);
    return address;
  }
}
