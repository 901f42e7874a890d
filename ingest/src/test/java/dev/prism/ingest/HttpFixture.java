package dev.prism.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/** A local HTTP server on 127.0.0.1 serving one byte array with Range support, or stalling on purpose. */
public final class HttpFixture implements AutoCloseable {

  /** How the server behaves. */
  public enum Mode {
    /** Serves the bytes, honouring single byte ranges. */
    NORMAL,
    /** Accepts the request and never answers. */
    STALL_ALL,
    /** Answers the 1-byte preflight, then stalls after the headers of every other request. */
    STALL_BODY
  }

  private final HttpServer server;
  private final ExecutorService exec = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "http-fixture");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int rangeRequests;

  public HttpFixture(byte[] body, Mode mode) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(exec);
    server.createContext("/", ex -> handle(ex, body, mode));
    server.start();
  }

  public String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  public int rangeRequests() {
    return rangeRequests;
  }

  private void handle(HttpExchange ex, byte[] body, Mode mode) throws IOException {
    try (ex) {
      String range = ex.getRequestHeaders().getFirst("Range");
      boolean preflight = "bytes=0-0".equals(range);
      if (mode == Mode.STALL_ALL || (mode == Mode.STALL_BODY && !preflight)) {
        if (mode == Mode.STALL_BODY) {
          ex.getResponseHeaders().set("Content-Type", "video/mp4");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body, 0, Math.min(64, body.length));
          ex.getResponseBody().flush();
        }
        // Stall long enough for any client timeout under test, then let the thread go.
        release.await(3, java.util.concurrent.TimeUnit.SECONDS);
        return;
      }
      long from = 0;
      long to = body.length - 1;
      if (range != null && range.startsWith("bytes=")) {
        rangeRequests++;
        String[] p = range.substring(6).split("-", -1);
        from = Long.parseLong(p[0]);
        if (!p[1].isEmpty()) {
          to = Math.min(to, Long.parseLong(p[1]));
        }
        if (from >= body.length) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        ex.sendResponseHeaders(206, to - from + 1);
      } else {
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        ex.sendResponseHeaders(200, body.length);
      }
      OutputStream os = ex.getResponseBody();
      os.write(body, (int) from, (int) (to - from + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away (FFmpeg closes connections when it seeks).
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    exec.shutdownNow();
  }
}
