package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.kernel.Errno;
import io.routeagent.kernel.KernelException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A failure comes out as a line or two a user can act on, exit status 1, and no stack trace. */
class FailureHandlerTest {
  private final RootCommand root = new RootCommand();
  private final StringWriter err = new StringWriter();

  private int handle(Exception e) {
    CommandLine cli = new CommandLine(root);
    cli.setErr(new PrintWriter(err, true));
    return new FailureHandler(root).handleExecutionException(e, cli, null);
  }

  @Test
  void aRefusalForWantOfPrivilegeSaysWhatIsNeeded() {
    for (Errno errno : new Errno[] {Errno.EPERM, Errno.EACCES}) {
      err.getBuffer().setLength(0);
      assertThat(handle(new KernelException(errno, "adding 10.0.0.0/16 via 172.31.64.1", true, null)))
          .isEqualTo(ExitStatus.ERROR);
      assertThat(err.toString().lines()).containsExactly(
          "route-agent: " + errno.name() + " adding 10.0.0.0/16 via 172.31.64.1: " + errno.description(),
          "  changing routes needs root or CAP_NET_ADMIN");
    }
  }

  @Test
  void noRtnetlinkIsNamed() {
    handle(new KernelException(Errno.EAFNOSUPPORT, "opening a netlink socket", false, null));
    assertThat(err.toString().lines()).last().isEqualTo("  this kernel has no rtnetlink (not Linux?)");
  }

  @Test
  void anotherErrnoIsOneLineWithTheKernelsText() {
    handle(new KernelException(Errno.ENODEV, "adding 10.0.0.0/16 dev eth9", true, "no such interface"));
    assertThat(err.toString().lines()).containsExactly(
        "route-agent: ENODEV adding 10.0.0.0/16 dev eth9: " + Errno.ENODEV.description()
            + " (kernel: no such interface)");
  }

  @Test
  void anInternalErrorPointsToDebugAndShowsNoStackTrace() {
    assertThat(handle(new IllegalStateException("oops"))).isEqualTo(ExitStatus.ERROR);
    assertThat(err.toString().lines()).containsExactly(
        "route-agent: internal error: java.lang.IllegalStateException: oops (run with --debug for details)");
  }

  @Test
  void debugAddsTheStackTrace() {
    root.debug = true;
    handle(new IllegalStateException("oops"));
    assertThat(err.toString()).contains("\tat ");
  }
}
