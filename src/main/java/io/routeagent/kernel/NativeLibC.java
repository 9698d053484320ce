package io.routeagent.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads libc once; failing to load is fatal and says so, never a silent fallback. */
final class NativeLibC {
  private NativeLibC() {}

  private static final class Holder {
    static final LibC LIBC = load();
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  }

  private static LibC load() {
    try {
      return LibraryLoader.create(LibC.class).failImmediately().load("c");
    } catch (RuntimeException | LinkageError e) {
      throw new NativeLoadException(
          "cannot load the C library through jnr-ffi (" + e.getMessage() + ")", e);
    }
  }

  static LibC libc() {
    return Holder.LIBC;
  }

  /** errno of the last failed call on this thread; valid only right after that call. */
  static Errno lastErrno() {
    return Errno.of(Holder.RUNTIME.getLastError());
  }
}
