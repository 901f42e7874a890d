package dev.prism.ingest.segment;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The output size rule: shorter side to the target, never upscaled, the longer side even. */
class FrameSamplerTest {

  @Test
  void shorterSideGoesToTheTargetAndTheLongerSideToTheNearestEvenNumber() {
    FrameSampler s = new FrameSampler(1, 336, 0);
    assertArrayEquals(new int[] {598, 336}, s.size(1280, 720), "597.33 rounds to the even 598, not 597");
    assertArrayEquals(new int[] {336, 598}, s.size(720, 1280));
    assertArrayEquals(new int[] {598, 336}, s.size(1920, 1080));
    assertArrayEquals(new int[] {336, 336}, s.size(4097, 4097));
    assertArrayEquals(new int[] {320, 240}, s.size(320, 240), "never upscaled");
    assertArrayEquals(new int[] {446, 335}, new FrameSampler(1, 335, 0).size(640, 480),
        "an odd target side stays exact; 446.67 goes to the nearest even, 446");
    assertArrayEquals(new int[] {80, 60}, new FrameSampler(1, 60, 0).size(160, 120));
    assertArrayEquals(new int[] {1280, 720}, new FrameSampler(1, 0, 0).size(1280, 720), "0: native size");
  }
}
