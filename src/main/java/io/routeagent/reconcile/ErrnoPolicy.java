package io.routeagent.reconcile;

import io.routeagent.kernel.Errno;
import java.util.Set;

/**
 * What an errno from the kernel means for one change. The one table of it:
 *
 * <ul>
 *   <li>ESRCH deleting a route, ENOENT deleting a rule (fib_nl_delrule): it is already gone, which
 *       is what was wanted.
 *   <li>ENETDOWN, ENODEV, ENETUNREACH installing: the interface is down or gone, or the gateway is
 *       not on any connected subnet yet. The route waits for the interface's next event.
 *   <li>Anything else: the change failed, and is reported with the route.
 * </ul>
 */
public final class ErrnoPolicy {
  private ErrnoPolicy() {}

  public enum Verdict {
    DONE,
    WAITING,
    FAILED
  }

  private static final Set<String> GONE = Set.of("ESRCH", "ENOENT");

  private static final Set<String> NOT_READY = Set.of("ENETDOWN", "ENODEV", "ENETUNREACH");

  public static Verdict classify(Change.Op op, Errno errno) {
    if (errno == null) {
      return Verdict.DONE;
    }
    if (op == Change.Op.DELETE) {
      return GONE.contains(errno.name()) ? Verdict.DONE : Verdict.FAILED;
    }
    return NOT_READY.contains(errno.name()) ? Verdict.WAITING : Verdict.FAILED;
  }
}
