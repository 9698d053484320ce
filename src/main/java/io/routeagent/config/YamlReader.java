package io.routeagent.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Composes the one YAML document of a routes file into a node tree that keeps line and column
 * marks. Java objects are never constructed from the YAML, so no tag can instantiate anything.
 */
final class YamlReader {
  private YamlReader() {}

  /** Aliases to lists or mappings allowed per document: enough for shared route templates. */
  static final int MAX_COLLECTION_ALIASES = 50;

  /**
   * The root node of {@code text}, or empty after reporting why there is none: malformed YAML, too
   * large, or empty.
   */
  static Optional<Node> compose(String file, String text, Problems problems) {
    return compose(
        file,
        text,
        problems,
        "Write `routes: []` to remove every route on purpose; an empty file is refused so"
            + " that a half-written one never wipes the routing table.");
  }

  /** As {@link #compose(String, String, Problems)}, with what to say about an empty file. */
  static Optional<Node> compose(String file, String text, Problems problems, String emptyHint) {
    if (text.length() > ConfigLoader.MAX_FILE_SIZE) {
      problems.add(tooLarge(file));
      return Optional.empty();
    }
    LoadSettings settings = settings(file);
    GuardedParser parser =
        new GuardedParser(new ParserImpl(settings, new StreamReader(settings, text)));
    Optional<Node> root;
    try {
      root = new Composer(settings, parser).getSingleNode();
    } catch (YamlEngineException e) {
      problems.add(YamlErrors.translate(file, text, e, parser.lastMark()));
      return Optional.empty();
    }
    if (root.isEmpty() || isEmptyValue(root.get())) {
      problems.add(
          ConfigProblem.ofFile(file, "the file is empty", emptyHint));
      return Optional.empty();
    }
    return root;
  }

  /** The settings both this reader and {@link RouteStream} parse with. */
  static LoadSettings settings(String file) {
    return LoadSettings.builder()
        .setLabel(file)
        .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
        .setCodePointLimit(ConfigLoader.MAX_FILE_SIZE)
        .build();
  }

  static final String SPLIT_HINT = "Split the routes into several files in routes.d/.";

  static ConfigProblem tooLarge(String file) {
    return ConfigProblem.ofFile(
        file, "the file is larger than the limit of " + (ConfigLoader.MAX_FILE_SIZE >> 20) + " MiB", SPLIT_HINT);
  }

  /** A document of only "---", or whose whole content is an empty value. */
  private static boolean isEmptyValue(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.getValue().isEmpty();
  }
}
