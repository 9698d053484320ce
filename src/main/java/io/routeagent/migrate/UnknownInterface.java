package io.routeagent.migrate;

import io.routeagent.netlink.LinkMessage;
import java.util.List;

/**
 * An interface to capture through that the kernel does not have. Capturing nothing instead would
 * write {@code routes: []}, which applied removes every route the agent owns.
 */
public final class UnknownInterface extends Exception {
  private static final long serialVersionUID = 1L;

  /** Interfaces named in the message at most: a host may have hundreds (containers' veths). */
  private static final int LISTED = 12;

  UnknownInterface(String name, List<LinkMessage> links) {
    super("interface " + name + " does not exist; " + listed(links), null, false, false);
  }

  private static String listed(List<LinkMessage> links) {
    if (links.isEmpty()) {
      return "there is no interface";
    }
    List<String> names = links.stream().map(LinkMessage::name).sorted().toList();
    String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
    return "the interfaces are " + shown + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
  }
}
