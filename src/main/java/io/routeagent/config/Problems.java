package io.routeagent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one load. Parsing goes on after a problem so that the operator sees them
 * all at once; past {@link #LIMIT} only a count is kept, since a file that broken is best fixed
 * from the top. Counting the rest costs little: a route is read in about a microsecond.
 */
final class Problems {
  static final int LIMIT = 50;

  private final List<ConfigProblem> list = new ArrayList<>();
  private int omitted;

  void add(ConfigProblem problem) {
    if (list.size() < LIMIT) {
      list.add(problem);
    } else {
      omitted++;
    }
  }

  void add(Location location, String message, String hint) {
    add(new ConfigProblem(location, message, hint));
  }

  /** Adds the problems another collection found, as if they had been added here in turn. */
  void addAll(Problems other) {
    other.list.forEach(this::add);
    omitted += other.omitted;
  }

  void throwIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      throw new ConfigException(list, omitted);
    }
  }

  /** As {@link #throwIfAny}, for problems of the policy: see {@link ConfigException#failClosed}. */
  void throwFailClosedIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      throw new ConfigException(list, omitted, true);
    }
  }
}
