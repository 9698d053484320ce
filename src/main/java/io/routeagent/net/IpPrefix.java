package io.routeagent.net;

import java.net.InetAddress;

/**
 * An IP network: an address whose bits beyond {@code length} are zero. Immutable; equality is by
 * family, address and length.
 *
 * <p>The daemon keeps one for every entry of the routes file for as long as it runs: an IPv4
 * prefix holds its address in an int ({@code V4}, 16 bytes with compact object headers), an IPv6
 * one in two longs ({@code V6}), not a byte array beside the object. Both are read as 128 bits,
 * an IPv4 address in the top 32 of {@link #high()}, so that one piece of code masks, compares and
 * hashes both.
 */
public abstract sealed class IpPrefix implements Comparable<IpPrefix> {
  private final int length;

  private IpPrefix(int length) {
    this.length = length;
  }

  /** The address's first 64 bits (an IPv4 address in the top 32, zeros below). */
  abstract long high();

  /** The address's last 64 bits (zero for IPv4). */
  abstract long low();

  public abstract int family();

  private static final class V4 extends IpPrefix {
    private final int address;

    V4(int address, int length) {
      super(length);
      this.address = address;
    }

    @Override
    long high() {
      return (long) address << 32;
    }

    @Override
    long low() {
      return 0;
    }

    @Override
    public int family() {
      return Family.INET;
    }
  }

  private static final class V6 extends IpPrefix {
    private final long high;
    private final long low;

    V6(long high, long low, int length) {
      super(length);
      this.high = high;
      this.low = low;
    }

    @Override
    long high() {
      return high;
    }

    @Override
    long low() {
      return low;
    }

    @Override
    public int family() {
      return Family.INET6;
    }
  }

  /** The prefix of these 4 or 16 network-order bytes, as they are (host bits not cleared). */
  private static IpPrefix unmasked(byte[] raw, int length) {
    return raw.length == 4
        ? new V4((int) (word(raw, 0) >>> 32), length)
        : new V6(word(raw, 0), word(raw, 8), length);
  }

  /** Up to 8 bytes of {@code raw} from {@code from}, big-endian, in the top of a long. */
  private static long word(byte[] raw, int from) {
    long w = 0;
    for (int i = 0; i < 8; i++) {
      w = w << 8 | (from + i < raw.length ? raw[from + i] & 0xff : 0);
    }
    return w;
  }

  /**
   * Builds a prefix from network-order bytes; rejects set host bits, as {@code ip route} does
   * ("Invalid prefix for given prefix length").
   */
  public static IpPrefix of(byte[] address, int length) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }
    if (length < 0 || length > address.length * 8) {
      throw new IllegalArgumentException(
          "prefix length " + length + " is outside 0.." + address.length * 8);
    }
    IpPrefix prefix = unmasked(address, length);
    if (!prefix.isMasked()) {
      throw new IllegalArgumentException("host bits are set beyond /" + length);
    }
    return prefix;
  }

  public static IpPrefix of(InetAddress address, int length) {
    return of(address.getAddress(), length);
  }

  /** The prefix that holds {@code address} at {@code length}, host bits cleared. */
  public static IpPrefix containing(InetAddress address, int length) {
    byte[] raw = address.getAddress();
    if (length < 0 || length > raw.length * 8) {
      throw new IllegalArgumentException("prefix length " + length + " is out of range");
    }
    return unmasked(raw, length).masked();
  }

  /** A single host: /32 or /128. */
  public static IpPrefix host(InetAddress address) {
    byte[] raw = address.getAddress();
    return unmasked(raw, raw.length * 8);
  }

  /** The default route of a family: 0.0.0.0/0 or ::/0. */
  public static IpPrefix defaultRoute(int family) {
    return family == Family.INET6 ? new V6(0, 0, 0) : new V4(0, 0);
  }

  /**
   * Parses "A.B.C.D/N", "X::Y/N", or a bare address (a host prefix). Returns a reason on failure.
   */
  public static Result parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address = IpAddresses.parseToBytes(addressText);
    if (address == null) {
      return Result.error("the address is not an IPv4 or IPv6 address");
    }
    int max = address.length * 8;
    int length = max;
    if (slash >= 0) {
      length = prefixLength(text, slash + 1);
      if (length < 0) {
        return Result.error("the prefix length is not a whole number from 0 to " + max);
      }
      if (length > max) {
        return Result.error("prefix length /" + length + " is longer than " + max + " bits");
      }
    }
    IpPrefix prefix = unmasked(address, length);
    if (!prefix.isMasked()) {
      return Result.error("host bits are set: did you mean " + prefix.masked() + "?");
    }
    return Result.ok(prefix);
  }

  /**
   * The prefix length written from {@code start} to the end, or -1: one to three ASCII digits
   * (Character.isDigit would take other scripts' digits), and no leading zero, since iproute2 reads
   * "/010" as octal, i.e. /8.
   */
  private static int prefixLength(String text, int start) {
    int digits = text.length() - start;
    if (digits < 1 || digits > 3 || (digits > 1 && text.charAt(start) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The outcome of {@link #parse}: a prefix or a reason. */
  public record Result(IpPrefix prefix, String error) {
    static Result ok(IpPrefix prefix) {
      return new Result(prefix, null);
    }

    static Result error(String error) {
      return new Result(null, error);
    }

    public boolean isOk() {
      return prefix != null;
    }
  }

  /** The mask of the first {@code length} bits, over {@link #high()}. */
  private static long highMask(int length) {
    return length == 0 ? 0 : -1L << (64 - Math.min(64, length));
  }

  /** The mask of the first {@code length} bits, over {@link #low()}. */
  private static long lowMask(int length) {
    return length <= 64 ? 0 : -1L << (128 - length);
  }

  /** This address with its bits beyond {@code length} cleared. */
  private IpPrefix masked() {
    long h = high() & highMask(length);
    long l = low() & lowMask(length);
    return family() == Family.INET6 ? new V6(h, l, length) : new V4((int) (h >>> 32), length);
  }

  /** True when no bit past {@code length} is set. */
  private boolean isMasked() {
    return (high() & ~highMask(length)) == 0 && (low() & ~lowMask(length)) == 0;
  }

  private int byteCount() {
    return family() == Family.INET6 ? 16 : 4;
  }

  public int length() {
    return length;
  }

  /** Network-order address bytes (a copy). */
  public byte[] bytes() {
    byte[] out = new byte[byteCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((i < 8 ? high() : low()) >>> (56 - 8 * (i % 8)));
    }
    return out;
  }

  public InetAddress address() {
    return IpAddresses.fromBytes(bytes());
  }

  public boolean isDefault() {
    return length == 0;
  }

  public boolean isHost() {
    return length == byteCount() * 8;
  }

  public boolean contains(InetAddress address) {
    byte[] raw = address.getAddress();
    return raw.length == byteCount() && sharesPrefix(word(raw, 0), word(raw, 8));
  }

  /** True when {@code other} is this prefix or a subnet of it. */
  public boolean contains(IpPrefix other) {
    return other.family() == family() && other.length >= length && sharesPrefix(other.high(), other.low());
  }

  /** True when the first {@code length} bits of the address {@code high}, {@code low} are this prefix's. */
  private boolean sharesPrefix(long high, long low) {
    return ((high ^ high()) & highMask(length)) == 0 && ((low ^ low()) & lowMask(length)) == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p && p.length == length && p.family() == family() && p.high() == high()
        && p.low() == low();
  }

  /**
   * Mixed (SplitMix64's finaliser, every bit of the address reaching every bit of the hash): routes
   * of one table differ in a few low-order bits, and a weak hash lets 100,000 of them collide into
   * tree bins.
   */
  @Override
  public int hashCode() {
    long h = mix(high() ^ mix(low() ^ family() ^ (long) length << 8));
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long h) {
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  @Override
  public int compareTo(IpPrefix o) {
    int c = Integer.compare(byteCount(), o.byteCount());
    if (c == 0) {
      c = Long.compareUnsigned(high(), o.high());
    }
    if (c == 0) {
      c = Long.compareUnsigned(low(), o.low());
    }
    return c != 0 ? c : Integer.compare(length, o.length);
  }

  /** "10.0.0.0/16", "default" for /0, and a bare address for a host, as {@code ip route}. */
  @Override
  public String toString() {
    if (length == 0) {
      return "default";
    }
    String address = IpAddresses.format(address());
    return isHost() ? address : address + "/" + length;
  }
}
