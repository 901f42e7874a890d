package dev.prism.ingest.source;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaException.Kind;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which URIs a job may read, shared by the library and the REST layer. Files must lie under one of
 * {@code allowedFileRoots} (after resolving symlinks); http(s) hosts must not resolve to loopback,
 * private, link-local, carrier-grade NAT, unique-local or multicast addresses unless
 * {@code allowPrivateAddresses}. Each http(s) source is checked by a ranged preflight request that
 * follows redirects itself (at most {@value #MAX_REDIRECTS}), checking every hop, so FFmpeg is only
 * ever handed a URL that passed. Residual risk, stated plainly: FFmpeg resolves the host again when
 * it connects (DNS rebinding) and would follow a redirect the server adds later; run the service
 * behind an egress proxy where that matters.
 *
 * @param allowedSchemes lower-case schemes, for example file, http, https
 * @param allowedFileRoots directories file URIs must lie under; empty refuses every file URI
 * @param allowPrivateAddresses allow http(s) to loopback/private/link-local hosts (tests, intranets)
 * @param connectTimeout TCP connect timeout
 * @param readTimeout longest wait for any read (a stalled server fails after this)
 */
public record SourcePolicy(Set<String> allowedSchemes, List<Path> allowedFileRoots,
    boolean allowPrivateAddresses, Duration connectTimeout, Duration readTimeout) {

  static final int MAX_REDIRECTS = 5;
  /** One client per connect timeout: each client owns a selector thread, so they are shared. */
  private static final java.util.concurrent.ConcurrentHashMap<Duration, HttpClient> CLIENTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  public SourcePolicy {
    allowedSchemes = allowedSchemes.stream().map(s -> s.toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    allowedFileRoots = allowedFileRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /**
   * file, http and https; public addresses only; no file roots (so file URIs are refused until
   * roots are configured); 10 s connect, 30 s read.
   */
  public static SourcePolicy defaults() {
    return new SourcePolicy(Set.of("http", "https", "file"), List.of(), false,
        Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  public SourcePolicy withFileRoots(Path... roots) {
    return new SourcePolicy(allowedSchemes, List.of(roots), allowPrivateAddresses, connectTimeout, readTimeout);
  }

  public SourcePolicy withPrivateAddresses(boolean allow) {
    return new SourcePolicy(allowedSchemes, allowedFileRoots, allow, connectTimeout, readTimeout);
  }

  public SourcePolicy withTimeouts(Duration connect, Duration read) {
    return new SourcePolicy(allowedSchemes, allowedFileRoots, allowPrivateAddresses, connect, read);
  }

  /** Resolves a URI string (or a bare path, treated as a file URI) into a checked source. */
  public MediaSource resolve(String uriOrPath) {
    URI uri;
    try {
      uri = uriOrPath.contains("://") ? URI.create(uriOrPath) : Path.of(uriOrPath).toUri();
    } catch (IllegalArgumentException e) {
      throw new MediaException(Kind.INVALID, uriOrPath, "not a valid URI or path: " + e.getMessage());
    }
    return resolve(uri);
  }

  /** Checks the URI against this policy and returns the source FFmpeg may open. */
  public MediaSource resolve(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String name = displayName(uri);
    if (!allowedSchemes.contains(scheme)) {
      throw new MediaException(Kind.FORBIDDEN, name,
          "scheme '" + scheme + "' is not allowed; use one of " + allowedSchemes);
    }
    if (scheme.equals("file")) {
      return resolveFile(uri, name);
    }
    if (scheme.equals("http") || scheme.equals("https")) {
      return resolveHttp(uri);
    }
    // A scheme allowed by configuration that we do not preflight (rtsp, for a live source later).
    return new MediaSource(uri.toString(), name, ffmpegOptions(), -1, scheme.startsWith("rtsp"));
  }

  private MediaSource resolveFile(URI uri, String name) {
    Path real;
    try {
      real = Path.of(uri).toRealPath();
    } catch (IOException | IllegalArgumentException e) {
      throw new MediaException(Kind.EMPTY, name, "file not found or unreadable (" + e.getMessage() + ")");
    }
    boolean inside = false;
    for (Path root : allowedFileRoots) {
      try {
        Path r = Files.exists(root) ? root.toRealPath() : root;
        inside |= real.startsWith(r);
      } catch (IOException e) {
        // An unreadable root simply admits nothing.
      }
    }
    if (!inside) {
      throw new MediaException(Kind.FORBIDDEN, name,
          "file is outside the allowed roots " + allowedFileRoots + "; move it there or configure the roots");
    }
    return MediaSource.file(real);
  }

  private MediaSource resolveHttp(URI first) {
    URI uri = first;
    HttpClient client = CLIENTS.computeIfAbsent(connectTimeout, t -> HttpClient.newBuilder().connectTimeout(t)
        .followRedirects(HttpClient.Redirect.NEVER).build());
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      checkHost(uri);
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(readTimeout)
          .header("Range", "bytes=0-0").GET().build();
      HttpResponse<Void> resp;
      try {
        resp = client.send(req, HttpResponse.BodyHandlers.discarding());
      } catch (HttpTimeoutException e) {
        throw new MediaException(Kind.IO, displayName(uri), "timed out: the server did not answer within "
            + readTimeout.toMillis() + " ms; check the URL or raise the read timeout", e);
      } catch (IOException e) {
        throw new MediaException(Kind.IO, displayName(uri), "cannot fetch: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MediaException(Kind.CANCELLED, displayName(uri), "interrupted while fetching");
      }
      int code = resp.statusCode();
      if (code >= 300 && code < 400) {
        String loc = resp.headers().firstValue("Location").orElseThrow(() -> new MediaException(
            Kind.IO, displayName(first), "redirect without a Location header"));
        uri = uri.resolve(loc);
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!allowedSchemes.contains(scheme) || !(scheme.equals("http") || scheme.equals("https"))) {
          throw new MediaException(Kind.FORBIDDEN, displayName(first), "redirects to a disallowed scheme: " + scheme);
        }
        continue;
      }
      if (code != 200 && code != 206) {
        throw new MediaException(code == 404 ? Kind.EMPTY : Kind.IO, displayName(uri),
            "the server answered HTTP " + code + "; check the URL");
      }
      long size = code == 206
          ? resp.headers().firstValue("Content-Range").map(SourcePolicy::totalFromContentRange).orElse(-1L)
          : resp.headers().firstValueAsLong("Content-Length").orElse(-1L);
      return new MediaSource(uri.toString(), displayName(uri), ffmpegOptions(), size, false);
    }
    throw new MediaException(Kind.IO, displayName(first), "more than " + MAX_REDIRECTS + " redirects");
  }

  private Map<String, String> ffmpegOptions() {
    String rw = Long.toString(readTimeout.toNanos() / 1000);
    // rw_timeout bounds every read of any protocol; timeout bounds http/tcp socket waits; no reconnect
    // loops so a dead server fails instead of retrying forever.
    return Map.of("rw_timeout", rw, "timeout", rw, "reconnect", "0");
  }

  private void checkHost(URI uri) {
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new MediaException(Kind.INVALID, displayName(uri), "the URI has no host");
    }
    if (allowPrivateAddresses) {
      return;
    }
    InetAddress[] addrs;
    try {
      addrs = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new MediaException(Kind.IO, displayName(uri), "unknown host '" + host + "'");
    }
    for (InetAddress a : addrs) {
      if (isNonPublic(a)) {
        throw new MediaException(Kind.FORBIDDEN, displayName(uri), "host '" + host + "' resolves to the non-public address "
            + a.getHostAddress() + "; such sources are refused unless the policy allows private addresses");
      }
    }
  }

  /** Loopback, private, link-local, CGNAT, unique-local, multicast, unspecified, or IPv4 mapped such. */
  public static boolean isNonPublic(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      return b0 == 0 || (b0 == 100 && b1 >= 64 && b1 < 128) || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0)
          || b0 >= 240 || (b0 == 198 && (b1 == 18 || b1 == 19));
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true;
      }
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isNonPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  private static long totalFromContentRange(String v) {
    int slash = v.lastIndexOf('/');
    try {
      return slash < 0 ? -1 : Long.parseLong(v.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The URI without user info or query, for messages and logs. */
  static String displayName(URI uri) {
    if (uri.getScheme() == null || uri.getHost() == null) {
      return uri.getPath() == null ? uri.toString() : uri.getPath();
    }
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + (uri.getPath() == null ? "" : uri.getPath());
  }
}
