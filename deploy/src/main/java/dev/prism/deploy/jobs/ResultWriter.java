package dev.prism.deploy.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prism.streaming.events.Caption;
import dev.prism.streaming.events.CodecFrame;
import dev.prism.streaming.store.MediaStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a job's result files into the media store under {@code results/}. Idempotent. */
final class ResultWriter {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final MediaStore store;

    ResultWriter(MediaStore store) {
        this.store = store;
    }

    void storeCodecFrame(String jobId, CodecFrame f) {
        put(jobId, String.format("results/codes/%06d.bin", f.segment()), f.payload());
    }

    /** Each record of the 3D stream, for the dashboard's player (the stage writes the job's gaussians/ files). */
    void storeGaussianFrame(String jobId, dev.prism.streaming.events.GaussianFrame g) {
        put(jobId, String.format("results/gaussians/frames/%06d.bin", g.frame()), g.payload());
    }

    /** Writes a settled job's result files; {@code end} and {@code reason} are the state it is about to get. */
    void writeResults(JobState s, JobTracker.JobOutputs out, JobState.State end, String reason) throws IOException {
        String id = s.jobId;
        if (s.request.wants("transcript") && s.taskStatus("transcript").equals("done")) {
            Object flags = s.stage("asr").figures.get("flags");
            @SuppressWarnings("unchecked")
            List<String> flagList = flags instanceof List<?> l ? (List<String>) l : List.of();
            var transcript = TranscriptFiles.transcript(new ArrayList<>(out.finals.values()), flagList);
            put(id, "results/transcript.json", TranscriptFiles.json(transcript).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            put(id, "results/transcript.srt", TranscriptFiles.srt(transcript).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            put(id, "results/transcript.vtt", TranscriptFiles.vtt(transcript).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (s.request.wants("captions") && s.taskStatus("captions").equals("done")) {
            List<Caption> caps = new ArrayList<>(out.captions.values());
            put(id, "results/captions.json", JSON.writeValueAsBytes(CaptionFiles.json(caps)));
            put(id, "results/captions.vtt", CaptionFiles.vtt(caps).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (s.request.wants("codec") && s.taskStatus("codec").equals("done")) {
            put(id, "results/audio.codes", concat(id, "results/codes/"));
        }
        Map<String, Object> report = new LinkedHashMap<>(JobViews.detail(s));
        report.remove("results");
        report.put("state", end.name().toLowerCase());
        report.put("progress", 1.0);
        if (reason != null) report.put("error", reason);
        report.put("outputs", Map.of("transcriptSegments", out.finals.size(), "captions", out.captions.size(),
                "codecFrames", out.codecFrames, "codecBits", out.codecBits, "gaussianFrames", out.gaussianFrames));
        put(id, "results/report.json", JSON.writeValueAsBytes(report));
        store.markFinished(id);
    }

    private byte[] concat(String jobId, String prefix) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (String ref : store.list(jobId).stream().sorted().toList()) {
            if (!ref.contains(prefix)) continue;
            try (InputStream in = store.open(ref)) {
                in.transferTo(buf);
            }
        }
        return buf.toByteArray();
    }

    private void put(String jobId, String name, byte[] data) {
        try {
            store.put(jobId, name, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + name + " of job " + jobId, e);
        }
    }
}
