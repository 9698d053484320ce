package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelExceptionTest {
  @Test
  void theMessageNamesTheErrnoTheOperationAndTheKernelsText() {
    KernelException e = new KernelException(Errno.ENODEV, "adding 10.0.0.0/16 dev eth9", true, "no device");
    assertThat(e.getMessage())
        .isEqualTo("ENODEV adding 10.0.0.0/16 dev eth9: " + Errno.ENODEV.description() + " (kernel: no device)");
    assertThat(e.errno()).isEqualTo(Errno.ENODEV);
    assertThat(e.inReply()).isTrue();
    assertThat(e.kernelMessage()).isEqualTo("no device");
  }

  @Test
  void aSyscallFailureHasNoKernelText() {
    KernelException e = new KernelException(Errno.ENOBUFS, "receiving from the kernel", false, null);
    assertThat(e.getMessage()).isEqualTo("ENOBUFS receiving from the kernel: " + Errno.ENOBUFS.description());
    assertThat(e.inReply()).isFalse();
    assertThat(new KernelException(Errno.EPERM, "x", true, "").getMessage()).doesNotContain("kernel:");
  }

  @Test
  void anUnknownErrnoStillReads() {
    assertThat(Errno.of(4000).name()).isEqualTo("errno 4000");
    assertThat(Errno.of(-1).description()).isEqualTo("unknown error -1");
    assertThat(Errno.of(Errno.ENOBUFS.value())).isSameAs(Errno.ENOBUFS);
  }
}
