package io.routeagent.cli;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A path option's value ({@code --config}, {@code --policy}, {@code --state-dir}, {@code
 * --lock-dir}). An empty one (an unset variable in a script: {@code --policy "$POLICY"}) would name
 * the current directory, and whatever followed would name the directory in place of the file the
 * person meant: a usage error instead.
 */
final class PathConverter implements ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    if (value.isEmpty()) {
      throw new TypeConversionException("the path is empty (it would name the current directory)");
    }
    return Path.of(value);
  }
}
