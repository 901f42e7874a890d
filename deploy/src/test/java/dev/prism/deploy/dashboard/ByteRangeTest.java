package dev.prism.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** RFC 9110 single byte ranges as media players send them. */
class ByteRangeTest {

    @Test
    void openEndedClosedAndSuffixRanges() {
        assertEquals(new ByteRange(0, 999, 1000), ByteRange.parse("bytes=0-", 1000));
        assertEquals(new ByteRange(100, 199, 1000), ByteRange.parse("bytes=100-199", 1000));
        assertEquals(new ByteRange(900, 999, 1000), ByteRange.parse("bytes=900-5000", 1000), "end clamps to the size");
        assertEquals(new ByteRange(800, 999, 1000), ByteRange.parse("bytes=-200", 1000), "suffix: the last 200 bytes");
        assertEquals(new ByteRange(0, 999, 1000), ByteRange.parse("bytes=-5000", 1000), "suffix longer than the file");
        assertEquals(100, ByteRange.parse("bytes=100-199", 1000).length());
    }

    @Test
    void unsatisfiableAndIgnoredRanges() {
        assertFalse(ByteRange.parse("bytes=1000-", 1000).satisfiable(), "starts past the end: 416");
        assertFalse(ByteRange.parse("bytes=5-2", 1000).satisfiable());
        assertNull(ByteRange.parse(null, 1000));
        assertNull(ByteRange.parse("items=0-1", 1000), "unknown unit: the whole body");
        assertNull(ByteRange.parse("bytes=0-1,5-6", 1000), "several ranges: the whole body");
        assertNull(ByteRange.parse("bytes=a-b", 1000));
    }
}
