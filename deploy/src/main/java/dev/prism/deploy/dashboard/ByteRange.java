package dev.prism.deploy.dashboard;

/** One HTTP byte range (RFC 9110 14.1.2), resolved against a size; multi-range requests are served whole. */
record ByteRange(long start, long end, long size) {

    boolean satisfiable() {
        return start <= end && start < size;
    }

    long length() {
        return end - start + 1;
    }

    /** Null when there is no usable single range (then the whole body is sent, as RFC 9110 allows). */
    static ByteRange parse(String header, long size) {
        if (header == null) return null;
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.contains(",")) return null;
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                if (b.isEmpty()) return null;
                long suffix = Long.parseLong(b);
                if (suffix <= 0) return new ByteRange(1, 0, size);
                return new ByteRange(Math.max(0, size - suffix), size - 1, size);
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (start < 0) return null;
            return new ByteRange(start, end, size);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
