package dev.sluice.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * A streaming generator of the retail example's input as CSV files: customers, products, orders and order items with
 * the distributions of {@code sql/examples/retail/sluice.yml}'s synthetic sources, written row by row through a
 * buffered writer, so memory stays constant whatever the size. Deterministic for a size (seeded). Orders and items
 * are split into files of about {@link #FILE_BYTES} each, read by a glob.
 */
final class RetailCsv {
    /** About this many bytes per orders or items file. */
    static final long FILE_BYTES = 256L << 20;
    /** Bytes of CSV per order with its three items, measured on generated data: sizes the order count. */
    private static final double BYTES_PER_ORDER = 88;
    private static final String[] COUNTRIES = {"DE", "FR", "NL", "ES", "IT"};
    private static final String[] CATEGORIES = {"books", "games", "garden", "kitchen", "toys"};
    private static final String[] STATUSES = {"placed", "shipped", "shipped", "shipped", "cancelled"};
    private static final LocalDate ORDERS_FROM = LocalDate.of(2024, 1, 1);
    private static final int ORDER_DAYS = 182;
    private static final LocalDate SIGNUP_FROM = LocalDate.of(2022, 1, 1);
    private static final int SIGNUP_DAYS = 730;
    private static final int PRODUCTS = 300;
    /** The name of the file written last, so a folder with it is complete. */
    static final String DONE = "COMPLETE";

    private RetailCsv() {
    }

    /** Orders for about {@code bytes} of CSV in total. */
    static long ordersFor(long bytes) {
        return Math.max(1000, Math.round(bytes / BYTES_PER_ORDER));
    }

    /**
     * Writes about {@code bytes} of CSV into {@code folder} ({@code customers.csv}, {@code products.csv},
     * {@code orders/part-N.csv}, {@code order_items/part-N.csv}), unless it holds a complete set already; returns the
     * bytes written (or found).
     */
    static long generate(Path folder, long bytes) throws IOException {
        if (Files.exists(folder.resolve(DONE))) {
            return size(folder);
        }
        Timings.deleteRecursively(folder);
        Files.createDirectories(folder.resolve("orders"));
        Files.createDirectories(folder.resolve("order_items"));
        long orders = ordersFor(bytes);
        long customers = Math.max(2000, orders / 10);
        SplittableRandom random = new SplittableRandom(13);
        try (Writer out = writer(folder.resolve("customers.csv"))) {
            out.write("customer_id,name,country,signup_date\n");
            for (long id = 1; id <= customers; id++) {
                out.write(id + ",customer_" + random.nextInt(100_000) + "," + COUNTRIES[random.nextInt(5)] + ","
                        + SIGNUP_FROM.plusDays(random.nextInt(SIGNUP_DAYS)) + "\n");
            }
        }
        try (Writer out = writer(folder.resolve("products.csv"))) {
            out.write("product_id,category,list_price\n");
            for (int id = 1; id <= PRODUCTS; id++) {
                out.write(id + "," + CATEGORIES[random.nextInt(5)] + "," + cents(200 + random.nextInt(24_801)) + "\n");
            }
        }
        // Orders and their 1 to 5 items (3 on average) in step, each table into files of about FILE_BYTES.
        Parts orderParts = new Parts(folder.resolve("orders"), "order_id,customer_id,order_date,status\n");
        Parts itemParts = new Parts(folder.resolve("order_items"), "order_id,product_id,quantity,discount\n");
        StringBuilder line = new StringBuilder(64);
        try (orderParts; itemParts) {
            for (long id = 1; id <= orders; id++) {
                line.setLength(0);
                line.append(id).append(',').append(1 + (long) (random.nextDouble() * customers)).append(',')
                        .append(ORDERS_FROM.plusDays(random.nextInt(ORDER_DAYS))).append(',')
                        .append(STATUSES[random.nextInt(5)]).append('\n');
                orderParts.write(line);
                int items = 1 + random.nextInt(5);
                for (int item = 0; item < items; item++) {
                    line.setLength(0);
                    line.append(id).append(',').append(1 + random.nextInt(PRODUCTS))
                            .append(',').append(1 + random.nextInt(5)).append(',');
                    if (random.nextBoolean()) {
                        line.append(cents(random.nextInt(31)));
                    }
                    line.append('\n');
                    itemParts.write(line);
                }
            }
        }
        Files.writeString(folder.resolve(DONE), orders + " orders\n");
        return size(folder);
    }

    /** Hundredths as a decimal text: 1234 → 12.34. */
    private static String cents(int hundredths) {
        int fraction = hundredths % 100;
        return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20);
    }

    /** Bytes of the CSV files in the folder. */
    static long size(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".csv")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Files of one table, each started with the header, a new one past {@link #FILE_BYTES}. */
    private static final class Parts implements AutoCloseable {
        private final Path folder;
        private final String header;
        private Writer out;
        private long written;
        private int part;

        Parts(Path folder, String header) {
            this.folder = folder;
            this.header = header;
        }

        void write(CharSequence line) throws IOException {
            if (out == null || written >= FILE_BYTES) {
                close();
                out = writer(folder.resolve(String.format("part-%04d.csv", part++)));
                out.write(header);
                written = header.length();
            }
            out.append(line);
            written += line.length();
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }
}
