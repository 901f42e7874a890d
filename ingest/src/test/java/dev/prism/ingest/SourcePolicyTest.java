package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.segment.DecodeMode;
import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.source.MediaSource;
import dev.prism.ingest.source.SourcePolicy;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcePolicyTest {

  @TempDir Path dir;

  static SourcePolicy loopbackAllowed(long readMs) {
    return SourcePolicy.defaults().withPrivateAddresses(true)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(readMs));
  }

  @Test
  void nonPublicAddressesAreRecognised() throws Exception {
    for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
      assertTrue(SourcePolicy.isNonPublic(InetAddress.getByName(a)), a);
    }
    for (String a : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"}) {
      assertFalse(SourcePolicy.isNonPublic(InetAddress.getByName(a)), a);
    }
  }

  @Test
  void policyRefusesSchemesRootsAndLoopbackUnlessAllowed() throws Exception {
    Path f = TestMedia.write(dir.resolve("a.mp4"), TestMedia.mp4().seconds(1));
    SourcePolicy p = SourcePolicy.defaults();
    assertEquals(MediaException.Kind.FORBIDDEN, assertThrows(MediaException.class, () -> p.resolve("ftp://example.com/a.mp4")).kind());
    MediaException outside = assertThrows(MediaException.class, () -> p.resolve(f.toUri().toString()));
    assertEquals(MediaException.Kind.FORBIDDEN, outside.kind());
    assertTrue(outside.getMessage().contains("allowed roots"), outside.getMessage());
    MediaSource ok = p.withFileRoots(dir).resolve(f.toUri().toString());
    assertEquals(Files.size(f), ok.sizeBytes());
    Path link = Files.createDirectories(dir.resolve("sub")).resolve("escape.mp4");
    Path other = Files.createTempFile("outside", ".mp4");
    try {
      Files.createSymbolicLink(link, other);
      assertEquals(MediaException.Kind.FORBIDDEN, assertThrows(MediaException.class,
          () -> p.withFileRoots(dir.resolve("sub")).resolve(link.toUri().toString())).kind());
    } finally {
      Files.deleteIfExists(other);
    }
    MediaException loop = assertThrows(MediaException.class, () -> p.resolve("http://127.0.0.1:9/x.mp4"));
    assertEquals(MediaException.Kind.FORBIDDEN, loop.kind());
    assertTrue(loop.getMessage().contains("non-public"), loop.getMessage());
    assertEquals(MediaException.Kind.FORBIDDEN, assertThrows(MediaException.class,
        () -> p.resolve("http://localhost:9/x.mp4")).kind());
  }

  @Test
  void httpSourceWithRangeRequestsDecodesLikeTheLocalFile() throws Exception {
    Path f = TestMedia.write(dir.resolve("a.mp4"), TestMedia.mp4().seconds(4));
    try (HttpFixture http = new HttpFixture(Files.readAllBytes(f), HttpFixture.Mode.NORMAL)) {
      MediaSource src = loopbackAllowed(5000).resolve(http.url("a.mp4"));
      assertEquals(Files.size(f), src.sizeBytes());
      SegmentOptions o = SegmentOptions.defaults().withMode(DecodeMode.AUTO, 2);
      List<Segment> remote = new ArrayList<>();
      try (SegmentReader r = SegmentReader.open(src, o)) {
        r.forEach(remote::add);
      }
      List<Segment> local = SegmentReaderTest.readAll(f, o);
      assertEquals(local.size(), remote.size());
      for (int i = 0; i < local.size(); i++) {
        assertEquals(local.get(i).frames().size(), remote.get(i).frames().size());
        for (int k = 0; k < local.get(i).frames().size(); k++) {
          assertArrayEquals(local.get(i).frames().get(k).rgb(), remote.get(i).frames().get(k).rgb());
        }
        assertArrayEquals(local.get(i).pcm16k(), remote.get(i).pcm16k());
      }
      assertTrue(http.rangeRequests() >= 1);
    }
  }

  @Test
  void stalledServerTimesOutInsteadOfHanging() throws Exception {
    byte[] body = Files.readAllBytes(TestMedia.write(dir.resolve("a.mp4"), TestMedia.mp4().seconds(1)));
    for (HttpFixture.Mode mode : new HttpFixture.Mode[] {HttpFixture.Mode.STALL_ALL, HttpFixture.Mode.STALL_BODY}) {
      try (HttpFixture http = new HttpFixture(body, mode)) {
        MediaException e = assertThrows(MediaException.class, () -> {
          MediaSource src = loopbackAllowed(300).resolve(http.url("a.mp4"));
          try (SegmentReader r = SegmentReader.open(src, SegmentOptions.defaults())) {
            r.forEach(s -> { });
          }
        });
        assertEquals(MediaException.Kind.IO, e.kind(), mode + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("timed out") || e.getMessage().contains("did not answer"), e.getMessage());
      }
    }
  }
}
