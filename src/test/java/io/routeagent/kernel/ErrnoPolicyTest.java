package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.kernel.ErrnoPolicy.Verdict;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of {@link ErrnoPolicy}'s table. */
class ErrnoPolicyTest {
  private static Errno errno(String name) {
    Errno errno = Errno.of(jnr.constants.platform.Errno.valueOf(name).intValue());
    assertThat(errno.name()).isEqualTo(name);
    return errno;
  }

  @ParameterizedTest
  @CsvSource({
    "true, ESRCH, DONE",
    "true, ENOENT, DONE",
    "true, EPERM, FAILED",
    "true, ENODEV, FAILED",
    "false, ENETDOWN, WAITING",
    "false, ENODEV, WAITING",
    "false, ENETUNREACH, WAITING",
    "false, ESRCH, FAILED",
    "false, EEXIST, FAILED",
    "false, EINVAL, FAILED",
    "false, EPERM, FAILED",
    "false, ENOBUFS, FAILED",
  })
  void aChangeIsJudgedByTheErrnoOfItsReply(boolean delete, String name, Verdict expected) {
    assertThat(ErrnoPolicy.ofChange(delete, errno(name))).isEqualTo(expected);
  }

  @Test
  void anAckIsDone() {
    assertThat(ErrnoPolicy.ofChange(false, null)).isEqualTo(Verdict.DONE);
    assertThat(ErrnoPolicy.ofChange(true, null)).isEqualTo(Verdict.DONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"EINTR", "EAGAIN", "ENOBUFS", "EPERM"})
  void onlyEintrRetriesASyscall(String name) {
    assertThat(ErrnoPolicy.retry(errno(name))).isEqualTo(name.equals("EINTR"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"EAGAIN", "EINTR", "ENOBUFS"})
  void onlyEagainMeansNothingIsQueued(String name) {
    assertThat(ErrnoPolicy.nothingQueued(errno(name))).isEqualTo(name.equals("EAGAIN"));
  }

  @Test
  void enobufsFromAReceiveIsAnOverrunButNotInsideAReply() {
    assertThat(ErrnoPolicy.overrun(new KernelException(Errno.ENOBUFS, "receiving", false, null))).isTrue();
    // The kernel had no memory for one request: that request failed, no message was dropped.
    assertThat(ErrnoPolicy.overrun(new KernelException(Errno.ENOBUFS, "adding a route", true, null))).isFalse();
    assertThat(ErrnoPolicy.overrun(new KernelException(Errno.EINTR, "receiving", false, null))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"EPERM, true", "EACCES, true", "ENODEV, false", "EEXIST, false"})
  void deniedIsEpermOrEacces(String name, boolean denied) {
    assertThat(ErrnoPolicy.denied(errno(name))).isEqualTo(denied);
  }

  @ParameterizedTest
  @CsvSource({"EPROTONOSUPPORT, true", "EAFNOSUPPORT, true", "EPERM, false"})
  void noRtnetlinkIsAnUnsupportedProtocolOrFamily(String name, boolean none) {
    assertThat(ErrnoPolicy.noRtnetlink(errno(name))).isEqualTo(none);
  }

  /** The constants copy the kernel's generic numbers: they must be this platform's too. */
  @Test
  void everyConstantIsThePlatformsErrnoOfThatName() throws IllegalAccessException {
    int checked = 0;
    for (Field field : Errno.class.getDeclaredFields()) {
      if (field.getType() == Errno.class && Modifier.isStatic(field.getModifiers())) {
        Errno constant = (Errno) field.get(null);
        assertThat(constant.name()).as(field.getName()).isEqualTo(field.getName());
        assertThat(constant.value()).as(field.getName())
            .isEqualTo(jnr.constants.platform.Errno.valueOf(field.getName()).intValue());
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(15);
  }
}
