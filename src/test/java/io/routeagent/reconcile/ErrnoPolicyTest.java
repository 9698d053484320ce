package io.routeagent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.kernel.Errno;
import io.routeagent.reconcile.ErrnoPolicy.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrnoPolicyTest {
  @ParameterizedTest
  @CsvSource({
    "DELETE, ESRCH, DONE",
    "DELETE, ENOENT, DONE",
    "DELETE, EPERM, FAILED",
    "DELETE, ENODEV, FAILED",
    "ADD, ENETDOWN, WAITING",
    "ADD, ENODEV, WAITING",
    "ADD, ENETUNREACH, WAITING",
    "REPLACE, ENETUNREACH, WAITING",
    "ADD, ESRCH, FAILED",
    "ADD, EEXIST, FAILED",
    "ADD, EINVAL, FAILED",
    "ADD, EPERM, FAILED",
  })
  void classifies(Change.Op op, String errno, Verdict expected) {
    Errno value = Errno.of(jnr.constants.platform.Errno.valueOf(errno).intValue());
    assertThat(value.name()).isEqualTo(errno);
    assertThat(ErrnoPolicy.classify(op, value)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void noErrnoIsDone() {
    assertThat(ErrnoPolicy.classify(Change.Op.ADD, null)).isEqualTo(Verdict.DONE);
  }
}
