package io.routeagent.testing;

/**
 * Whether the kernel offers transparent huge pages, as the launcher ({@code agent/route-agent},
 * {@code huge_pages}) decides it: {@code [madvise]} or {@code [always]} in its setting.
 */
public final class HugePages {
  /** Where the kernel says it, on the host and in a container alike. */
  public static final String SETTING = "/sys/kernel/mm/transparent_hugepage/enabled";

  private HugePages() {}

  /** @param setting what {@link #SETTING} holds; empty when it cannot be read */
  public static boolean offered(String setting) {
    return setting.contains("[always]") || setting.contains("[madvise]");
  }
}
