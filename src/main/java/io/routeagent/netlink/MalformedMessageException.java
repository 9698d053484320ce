package io.routeagent.netlink;

/** A message from the kernel that does not fit the layout its type promises. */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message);
  }
}
