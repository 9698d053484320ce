package io.routeagent.kernel;

/**
 * A failure reported by the kernel, either as a syscall's errno or inside a netlink NLMSG_ERROR;
 * {@link #inReply} tells which. The message reads "ENODEV adding 10.0.0.0/16 via 172.31.64.1 dev
 * eth9: No such device (kernel: ...)".
 */
public final class KernelException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Errno errno;
  private final boolean inReply;
  private final String kernelMessage;

  public KernelException(Errno errno, String operation, boolean inReply, String kernelMessage) {
    super(
        errno.name()
            + " "
            + operation
            + ": "
            + errno.description()
            + (kernelMessage == null || kernelMessage.isEmpty() ? "" : " (kernel: " + kernelMessage + ")"));
    this.errno = errno;
    this.inReply = inReply;
    this.kernelMessage = kernelMessage;
  }

  public Errno errno() {
    return errno;
  }

  /** True when the errno came back in a netlink reply, false when a syscall failed. */
  public boolean inReply() {
    return inReply;
  }

  /** The kernel's extended-ack text, or null. */
  public String kernelMessage() {
    return kernelMessage;
  }
}
