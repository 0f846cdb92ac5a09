package dev.sluice.bench;

import static dev.sluice.bench.Timings.max;
import static dev.sluice.bench.Timings.median;
import static dev.sluice.bench.Timings.min;

import dev.sluice.ModelResult;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.SourceResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ManifestRecord;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.incremental.FileChanges;
import dev.sluice.incremental.FileEntry;
import dev.sluice.incremental.FileScanner;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Change detection over a files source of 100,000 files (the metadata of a simulated 1 TB dataset).
 *
 * <p>The state a long history of runs would have left is seeded rather than produced by reading 99,000 files
 * with DuckDB: one real run over a single file creates the tables and the catalog, then the manifest rows of the
 * 99,000 existing files (their real size and modification time, as {@link FileScanner} reports them) and their
 * rows are inserted through a DuckDB connection to the warehouse while no run holds it. Each round then adds a
 * fresh 1% of new files and times a whole {@code Sluice.run} end to end, plus the detection alone in-process
 * ({@code FileScanner.scan} + reading the manifest from the catalog + {@code FileChanges.between}).
 *
 * <p>Run with {@code bench/run incremental detection [--files N] [--folders N] [--new-fraction F] [--rounds N]
 * [--reps N] [--sparse-mb N] [--keep]}.
 */
public final class DetectionBenchmark {
    private static final String SOURCE = "raw.events";

    private DetectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int files = Integer.parseInt(options.getOrDefault("files", "100000"));
        int folders = Integer.parseInt(options.getOrDefault("folders", "100"));
        double newFraction = Double.parseDouble(options.getOrDefault("new-fraction", "0.01"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        int reps = Integer.parseInt(options.getOrDefault("reps", "3"));
        // Optional apparent size of each existing file (sparse, no disk blocks): 10 MB x 100,000 files = 1 TB. Off by
        // default: the planner reads NUL-filled files in full (see INCREMENTAL.md).
        long sparseBytes = Math.round(Double.parseDouble(options.getOrDefault("sparse-mb", "0")) * 1_000_000);
        boolean keep = options.containsKey("keep");
        // Seeding 1,000,000 files takes minutes: --reuse runs the rounds on the state a --keep run left in --dir.
        boolean reuse = options.containsKey("reuse");
        // --keep-files seeds a new state over the data files a --keep run left (writing them is most of the seeding).
        boolean keepFiles = options.containsKey("keep-files");
        // --no-glob skips DuckDB's glob() of the files (a gauge of the machine's load, tens of seconds at 1M files).
        boolean noGlob = options.containsKey("no-glob");
        int perRound = (int) Math.round(files * newFraction);
        int base = files - perRound;

        Path dir = Path.of(options.getOrDefault("dir",
                Path.of(System.getProperty("java.io.tmpdir"), "detection-bench").toString())).toAbsolutePath();
        boolean reused = reuse && Files.exists(dir.resolve("target/detection.duckdb"));
        Path kept = dir.resolveSibling(dir.getFileName() + "-kept-data");
        boolean keptFiles = !reused && keepFiles && Files.isDirectory(dir.resolve("data"));
        if (keptFiles) {
            deleteTree(kept);
            Files.move(dir.resolve("data"), kept);
        }
        if (!reused) {
            deleteTree(dir);
        }
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("sluice.yml"), """
                name: detection_bench
                warehouse: target/detection.duckdb
                defaults:
                  memory_limit: 2GB
                sources:
                  raw.events:
                    type: files
                    path: data/**/*.csv
                    header: true
                    columns: { id: BIGINT, folder: INTEGER, payload: VARCHAR }
                    change_detection: manifest
                """);
        Files.writeString(dir.resolve("models/events_inc.sql"), """
                /*---
                materialized: incremental
                incremental: { strategy: append }
                ---*/
                SELECT id, folder, payload FROM raw.events
                """);

        System.out.printf(Locale.ROOT, "Detection benchmark: %,d files in %d folders (%,d existing + %,d new = %.1f%% "
                + "per round), %d rounds, %d in-process detection repetitions per round, existing files %s%n", files,
                folders, base, perRound, 100.0 * perRound / files, rounds, reps,
                sparseBytes > 0 ? "sparse, " + sparseBytes / 1_000_000 + " MB apparent size each" : "tiny");
        System.out.println("Folder: " + dir);

        // 1. One real run over a single file: tables, view, incremental model, checkpoint and catalog exist.
        Sluice sluice = Sluice.open(dir);
        String glob = ((SourceSpec.Files) source(sluice).spec()).path();
        Path warehouse = sluice.project().warehouse();
        if (reused) {
            // Loads what an interrupted round left (files written, not yet loaded), unmeasured: the rounds start from
            // a manifest that lists every file, whose ids run from 0 to its size.
            require(sluice.run(RunOptions.defaults()).succeeded(), "the run loading the reused state failed");
        }
        int nextId = reused ? ((Number) sluice.query("SELECT count(*) FROM sluice.file_manifest").rows().get(0).get(0))
                .intValue() : base;
        if (reused) {
            System.out.printf(Locale.ROOT, "Reusing the seeded state in %s: %,d files in the manifest%n", dir, nextId);
        } else {
            writeFile(dir, 0, 0, 0);
            RunResult seed = sluice.run(RunOptions.defaults());
            require(seed.succeeded(), "seed run failed: " + seed);

            // 2. The other existing files, with the metadata of a 1 TB dataset.
            long t0 = System.nanoTime();
            if (keptFiles) {
                // the seed run's file replaces the kept one (its time is the manifest's)
                Path first = dir.resolve("data/d000/f0000000.csv");
                Files.move(first, kept.resolve("d000/f0000000.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                deleteTree(dir.resolve("data"));
                Files.move(kept, dir.resolve("data"));
            }
            if (!keptFiles) {
                writeFiles(dir, folders, 1, base, 0, sparseBytes);
            }
            System.out.printf(Locale.ROOT, "Created %,d existing files in %.1f s%n", base - 1, seconds(t0));

            // 3. Their manifest rows and rows, as the run that read them would have left them.
            t0 = System.nanoTime();
            seedState(dir, warehouse, glob, seed.runId());
            System.out.printf(Locale.ROOT, "Seeded the manifest (%,d rows) and the data in %.1f s%n", base, seconds(t0));
            if (keptFiles) {
                nextId = ((Number) sluice.query("SELECT count(*) FROM sluice.file_manifest").rows().get(0).get(0))
                        .intValue();
            }
        }
        Detection check = detect(dir, warehouse, glob);
        require(check.changes.added().isEmpty() && check.changes.modified().isEmpty()
                && check.changes.deleted().isEmpty(), "the seeded manifest does not match the files: "
                + check.summary());
        System.out.printf(Locale.ROOT, "Check: detection over the seeded state finds nothing to do (%,d files seen)%n%n",
                check.changes.seen());

        List<Double> runTotals = new ArrayList<>();
        List<Double> runWall = new ArrayList<>();
        List<Double> loadMs = new ArrayList<>();
        List<Double> detectionsMs = new ArrayList<>();
        List<Double> pure = new ArrayList<>();
        List<Double> scans = new ArrayList<>();
        List<Double> manifests = new ArrayList<>();
        List<Double> betweens = new ArrayList<>();
        List<Double> globs = new ArrayList<>();
        List<Double> plans = new ArrayList<>();
        List<Double> detectors = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            writeFiles(dir, folders, nextId, nextId + perRound, round, 0);
            nextId += perRound;
            int expectedSeen = nextId;
            // Detection alone, in-process, as ManifestLoader does it (the new files are not in the manifest yet).
            for (int rep = 0; rep < reps; rep++) {
                Detection d = detect(dir, warehouse, glob);
                require(d.changes.added().size() == perRound && d.changes.modified().isEmpty()
                        && d.changes.deleted().isEmpty() && d.changes.seen() == expectedSeen, d.summary());
                pure.add(d.totalMs());
                scans.add(d.scanMs);
                manifests.add(d.manifestMs);
                betweens.add(d.betweenMs);
                System.out.printf(Locale.ROOT, "round %d detection %d: scan %.0f ms + manifest %.0f ms + compare %.0f ms "
                        + "= %.0f ms (%s)%n", round, rep + 1, d.scanMs, d.manifestMs, d.betweenMs, d.totalMs(),
                        d.summary());
            }
            // Detection as the code under test does it (Detector.detect: listing, manifest read, compare).
            double[] detectorMs = new double[1];
            String found = detector(sluice, warehouse, detectorMs);
            detectors.add(detectorMs[0]);
            System.out.printf(Locale.ROOT, "round %d Detector.detect: %.0f ms (%s)%n", round,
                    detectors.get(detectors.size() - 1), found);
            globs.add(noGlob ? Double.NaN : duckDbGlob(glob));
            // Planning alone (Calcite + the scratch DuckDB, which binds the source's read_csv over the whole glob).
            long planStart = System.nanoTime();
            sluice.models();
            plans.add(millis(planStart));
            // The whole run, end to end.
            long start = System.nanoTime();
            RunResult result = sluice.run(RunOptions.defaults());
            double wall = millis(start);
            require(result.succeeded(), "run failed: " + result);
            SourceResult load = result.sources().get(0);
            List<Object> detection = sluice.query("SELECT files_seen, new_files, modified_files, deleted_files, "
                    + "new_rows, duration_ms FROM sluice.detections WHERE run_id = " + result.runId()).rows().get(0);
            require(((Number) detection.get(1)).longValue() == perRound, "the run found " + detection.get(1)
                    + " new files");
            runTotals.add((double) result.duration().toMillis());
            runWall.add(wall);
            loadMs.add((double) load.duration().toMillis());
            detectionsMs.add(((Number) detection.get(5)).doubleValue());
            ModelResult model = result.models().get(0);
            System.out.printf(Locale.ROOT, "round %d run %d: total %,d ms (wall %.0f ms); source load incl. detection "
                    + "%,d ms (sluice.detections: seen %s, new %s, modified %s, deleted %s, rows %s, %s ms); model %s "
                    + "%,d ms (%s rows, %s); DuckDB glob() listing %.0f ms; planning alone %.0f ms%n%n", round, result.runId(),
                    result.duration().toMillis(), wall, load.duration().toMillis(), detection.get(0), detection.get(1),
                    detection.get(2), detection.get(3), detection.get(4), detection.get(5), model.model(),
                    model.duration().toMillis(), model.rows(), model.reason(), globs.get(globs.size() - 1),
                    plans.get(plans.size() - 1));
        }

        List<Object> state = sluice.query("SELECT count(*), sum(size) FROM sluice.file_manifest").rows().get(0);
        double bytes = ((Number) state.get(1)).doubleValue();
        System.out.println("=== Detection benchmark: medians ===");
        System.out.printf(Locale.ROOT, "manifest now: %,d files, %.2f TB apparent size%n",
                ((Number) state.get(0)).longValue(), bytes / 1e12);
        System.out.printf(Locale.ROOT, "run finding %,d new of ~%,d files (1%%), end to end: median %,.0f ms "
                + "(min %,.0f, max %,.0f; wall median %,.0f ms) -- target < 10,000 ms: %s%n", perRound, files,
                median(runTotals), min(runTotals), max(runTotals), median(runWall),
                median(runTotals) < 10_000 ? "MET" : "MISSED");
        System.out.printf(Locale.ROOT, "  source load incl. detection (RunResult): median %,.0f ms; "
                + "sluice.detections.duration_ms: median %,.0f ms%n", median(loadMs), median(detectionsMs));
        System.out.printf(Locale.ROOT, "  planning alone (Sluice.models(), part of every run): median %,.0f ms%n",
                median(plans));
        System.out.printf(Locale.ROOT, "detection alone in-process: median %,.0f ms = scan %,.0f + manifest read %,.0f "
                + "+ compare %,.0f ms (per file: %.1f us)%n", median(pure), median(scans), median(manifests),
                median(betweens), median(pure) * 1000 / files);
        System.out.printf(Locale.ROOT, "Detector.detect (the code's own detection: listing + manifest read + compare): "
                + "median %,.0f ms (min %,.0f, max %,.0f)%n", median(detectors), min(detectors), max(detectors));
        System.out.printf(Locale.ROOT, "DuckDB glob() listing of the same files (names only, no stat): median %,.0f ms; "
                + "FileScanner.scan / glob() = %.2f%n", median(globs), median(scans) / median(globs));
        System.out.printf(Locale.ROOT, "floor (1 TB dataset in < 5 min): detection over the 1 TB dataset's %,d files "
                + "takes %.1f s, a full run with 1%% new files %.1f s: %s (%.0fx under 300 s)%n", files,
                median(pure) / 1000, median(runTotals) / 1000, median(runTotals) < 300_000 ? "MET" : "MISSED",
                300_000 / median(runTotals));
        if (!keep) {
            deleteTree(dir);
        }
    }

    /**
     * Writes the files of ids {@code [from, to)} on 8 threads (a million small files are system calls, which overlap);
     * {@code sparseBytes} > 0 makes each a sparse file of that apparent size.
     */
    private static void writeFiles(Path dir, int folders, int from, int to, int round, long sparseBytes)
            throws Exception {
        for (int folder = 0; folder < Math.min(folders, to); folder++) {
            Files.createDirectories(dir.resolve(String.format(Locale.ROOT, "data/d%03d", folder)));
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(8);
        try {
            pool.submit(() -> java.util.stream.IntStream.range(from, to).parallel().forEach(id -> {
                try {
                    Path file = writeFile(dir, id % folders, id, round);
                    if (sparseBytes > 0) {
                        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                            raf.setLength(sparseBytes);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })).get();
        } finally {
            pool.shutdown();
        }
    }

    /** What {@code Detector.detect} finds in the source, as the code under test detects (its summary). */
    private static String detector(Sluice sluice, Path warehouse, double[] millis) {
        dev.sluice.project.Project project = Internals.project(sluice);
        Source source = source(sluice);
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(warehouse)) {
            Catalog catalog = Catalog.openExisting(engine);
            dev.sluice.connect.Detector detector = new dev.sluice.connect.Detector(engine, catalog,
                    new dev.sluice.connect.StoredPaths(project.root(), project::redact));
            long start = System.nanoTime();
            String summary = detector.detect(source).summary();
            millis[0] = millis(start);
            return summary;
        }
    }

    /** One file of the dataset: a header and one row; round 0 files exist before the benchmark. */
    private static Path writeFile(Path dir, int folder, int id, int round) throws IOException {
        Path file = dir.resolve(String.format(Locale.ROOT, "data/d%03d/%s%07d.csv", folder, round == 0 ? "f" : "n"
                + round + "_", id));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "id,folder,payload\n" + id + "," + folder + ",payload-" + id + "\n");
        return file;
    }

    /**
     * Inserts the manifest rows of every file not yet in it, with the metadata FileScanner reports, as read by
     * the seed run; their rows into the source's tagged data table and into the incremental model.
     */
    private static void seedState(Path dir, Path warehouse, String glob, long seedRun) {
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null)) {
            Catalog catalog = Catalog.openExisting(engine);
            Map<String, ManifestRecord> known = catalog.state().manifest(SOURCE);
            try (Session session = engine.session()) {
                // Appended in bulk (INSERT ... VALUES of a million manifest rows takes many minutes).
                session.execute("CREATE TABLE main.sluice_seed_manifest AS SELECT * FROM sluice.file_manifest LIMIT 0");
                try (dev.sluice.engine.Appender appender = session.appender("main", "sluice_seed_manifest")) {
                    for (FileEntry file : FileScanner.scan(glob)) {
                        if (!known.containsKey(stored(dir, file.path()))) {
                            appender.append(java.util.Arrays.asList(SOURCE, stored(dir, file.path()), file.size(),
                                    LocalDateTime.ofInstant(file.modifiedAt(), ZoneId.systemDefault()), null, 1L,
                                    seedRun));
                        }
                    }
                }
                session.begin();
                session.execute("INSERT INTO sluice.file_manifest SELECT * FROM main.sluice_seed_manifest");
                String fresh = "SELECT path FROM main.sluice_seed_manifest";
                session.execute("INSERT INTO raw.events__sluice_data BY NAME SELECT "
                        + "CAST(regexp_extract(path, '(\\d+)\\.csv$', 1) AS BIGINT) AS id, "
                        + "CAST(regexp_extract(path, '/d(\\d+)/', 1) AS INTEGER) AS folder, "
                        + "'payload-' || CAST(CAST(regexp_extract(path, '(\\d+)\\.csv$', 1) AS BIGINT) AS VARCHAR) "
                        + "AS payload, path AS _sluice_file, CAST(" + seedRun + " AS BIGINT) AS _sluice_run FROM ("
                        + fresh + ")");
                session.execute("INSERT INTO main.events_inc BY NAME SELECT id, folder, payload "
                        + "FROM raw.events__sluice_data WHERE _sluice_file IN (" + fresh + ")");
                session.execute("DROP TABLE main.sluice_seed_manifest");
                session.commit();
            }
        }
    }

    private record Detection(FileChanges changes, double scanMs, double manifestMs, double betweenMs) {
        double totalMs() {
            return scanMs + manifestMs + betweenMs;
        }

        String summary() {
            return String.format(Locale.ROOT, "seen %,d, new %,d, modified %,d, deleted %,d", changes.seen(),
                    changes.added().size(), changes.modified().size(), changes.deleted().size());
        }
    }

    /** Detection as ManifestLoader.load does it: list the files, read the manifest, compare. */
    /** A file's path as the catalog stores it: relative to the project folder (as ManifestLoader stores it). */
    private static String stored(Path dir, String path) {
        Path file = Path.of(path).toAbsolutePath().normalize();
        Path root = dir.toAbsolutePath().normalize();
        return file.startsWith(root) ? root.relativize(file).toString().replace('\\', '/') : path;
    }

    private static Detection detect(Path dir, Path warehouse, String glob) {
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(warehouse)) {
            Catalog catalog = Catalog.openExisting(engine);
            long t0 = System.nanoTime();
            List<FileEntry> found = FileScanner.scan(glob).stream().map(file -> new FileEntry(stored(dir, file.path()),
                    file.size(), file.modifiedAt(), file.contentHash())).toList();
            long t1 = System.nanoTime();
            Map<String, ManifestRecord> manifest = catalog.state().manifest(SOURCE);
            Map<String, FileEntry> known = new HashMap<>();
            manifest.forEach((path, entry) -> known.put(path, new FileEntry(path, entry.size(),
                    entry.modifiedAt().atZone(ZoneId.systemDefault()).toInstant(), entry.contentHash())));
            long t2 = System.nanoTime();
            FileChanges changes = FileChanges.between(found, known, null);
            long t3 = System.nanoTime();
            return new Detection(changes, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        }
    }

    /** Raw DuckDB listing the same glob, for comparison (names only: DuckDB's glob() reads no metadata). */
    private static double duckDbGlob(String glob) {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            long t0 = System.nanoTime();
            session.query("SELECT count(*) FROM glob(" + Sql.string(glob) + ")").singleLong();
            return millis(t0);
        }
    }

    private static Source source(Sluice sluice) {
        return Internals.project(sluice).sources().stream().filter(s -> s.qualifiedName().equals(SOURCE)).findFirst()
                .orElseThrow();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
