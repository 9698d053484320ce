package io.routeagent.kernel;

/**
 * What an errno from the kernel means: the one table of it. Every caller asks here rather than
 * comparing errnos itself.
 *
 * <table>
 *   <caption>errno policy</caption>
 *   <tr><th>errno</th><th>where</th><th>meaning</th></tr>
 *   <tr><td>EINTR</td><td>a syscall</td><td>a signal came first: call it again ({@link #retry})</td></tr>
 *   <tr><td>EAGAIN</td><td>a receive that does not wait</td><td>nothing is queued ({@link #nothingQueued})</td></tr>
 *   <tr><td>ENOBUFS</td><td>a receive</td><td>the kernel dropped messages for this socket: what
 *       was lost can only be read again ({@link #overrun})</td></tr>
 *   <tr><td>ESRCH, ENOENT</td><td>the reply to a delete</td><td>already gone (routes: ESRCH;
 *       rules: ENOENT, fib_nl_delrule): done ({@link #ofChange})</td></tr>
 *   <tr><td>ENETDOWN, ENODEV, ENETUNREACH</td><td>the reply to an install</td><td>the interface is
 *       down or gone, or the gateway is not on a connected subnet yet: the route waits for the
 *       interface's next event</td></tr>
 *   <tr><td>EPERM, EACCES</td><td>anywhere</td><td>no privilege: root or CAP_NET_ADMIN is needed
 *       ({@link #denied})</td></tr>
 *   <tr><td>EPROTONOSUPPORT, EAFNOSUPPORT</td><td>opening a socket</td><td>no rtnetlink here
 *       ({@link #noRtnetlink})</td></tr>
 *   <tr><td>anything else</td><td></td><td>the operation failed, and is reported with what it was</td></tr>
 * </table>
 *
 * <p>A syscall's errno and an errno the kernel returned inside an NLMSG_ERROR are different things
 * ({@link KernelException#inReply}): ENOBUFS in a reply is a request the kernel had no memory
 * for, not lost messages, and EINTR in a reply (a dump the kernel kept interrupting) is not a
 * signal to retry the syscall on.
 */
public final class ErrnoPolicy {
  private ErrnoPolicy() {}

  /** What became of one change (a route or a rule) the kernel answered. */
  public enum Verdict {
    DONE,
    WAITING,
    FAILED
  }

  /**
   * The verdict on one change from the errno of its reply.
   *
   * @param delete the change deletes (else it installs)
   * @param errno the reply's errno, or null for an ack
   */
  public static Verdict ofChange(boolean delete, Errno errno) {
    if (errno == null) {
      return Verdict.DONE;
    }
    if (delete) {
      return errno.equals(Errno.ESRCH) || errno.equals(Errno.ENOENT) ? Verdict.DONE : Verdict.FAILED;
    }
    return errno.equals(Errno.ENETDOWN) || errno.equals(Errno.ENODEV) || errno.equals(Errno.ENETUNREACH)
        ? Verdict.WAITING
        : Verdict.FAILED;
  }

  /** A syscall's errno: interrupted by a signal before it did anything, so call it again. */
  public static boolean retry(Errno syscallErrno) {
    return syscallErrno.equals(Errno.EINTR);
  }

  /** A non-blocking receive's errno: nothing is queued. */
  public static boolean nothingQueued(Errno syscallErrno) {
    return syscallErrno.equals(Errno.EAGAIN);
  }

  /** The kernel dropped messages queued for this socket; never an errno inside a reply. */
  public static boolean overrun(KernelException e) {
    return !e.inReply() && e.errno().equals(Errno.ENOBUFS);
  }

  /** Refused for want of privilege: root or CAP_NET_ADMIN is needed. */
  public static boolean denied(Errno errno) {
    return errno.equals(Errno.EPERM) || errno.equals(Errno.EACCES);
  }

  /** This kernel has no rtnetlink (not Linux, or a sandbox that refuses netlink sockets). */
  public static boolean noRtnetlink(Errno errno) {
    return errno.equals(Errno.EPROTONOSUPPORT) || errno.equals(Errno.EAFNOSUPPORT);
  }
}
