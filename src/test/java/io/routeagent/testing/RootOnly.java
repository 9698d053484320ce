package io.routeagent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** For tests that need root: skipped elsewhere, but a failure under CI=true, which runs as root. */
public final class RootOnly {
  private RootOnly() {}

  public static void require() {
    if ("root".equals(System.getProperty("user.name"))) {
      return;
    }
    String why = "this test needs root (it changes owners of files)";
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
  }
}
