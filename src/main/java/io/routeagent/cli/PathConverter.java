package io.routeagent.cli;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --policy}'s value: a path that names a file. An empty one (an unset variable in a script:
 * {@code --policy "$POLICY"}) would name the current directory, and the policy would be refused
 * with the directory's name in place of the file's: a usage error instead.
 */
final class PolicyPathConverter implements ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    if (value.isEmpty()) {
      throw new TypeConversionException("the path is empty: name the policy file");
    }
    return Path.of(value);
  }
}
