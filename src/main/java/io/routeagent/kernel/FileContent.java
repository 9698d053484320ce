package io.routeagent.kernel;

/** The bytes of a file read through {@link UserDirectory}, with the status of what was read. */
public record FileContent(byte[] bytes, FileStatus status) {
  /** "16 MiB", "64 KiB", "100 bytes": how the caps are named in messages. */
  public static String describeSize(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
