package io.routeagent.kernel;

/** The native layer (jffi's stub or libc) could not be loaded: nothing can work. */
public final class NativeLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NativeLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
