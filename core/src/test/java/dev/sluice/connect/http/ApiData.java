package dev.sluice.connect.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The customers an {@link ApiServer} serves, in the shapes of the four pagination styles, with nested addresses and
 * a field no column declares ({@code tier}); {@code since} filters by {@code updated_at} as incremental APIs do.
 */
final class ApiData {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PAGE = 3;

    /** A customer as the API holds it. */
    record Customer(long id, String name, String city, String updatedAt, String tier) {
        ObjectNode json() {
            ObjectNode node = JSON.createObjectNode().put("id", id).put("name", name);
            node.putObject("address").put("city", city).put("zip", "Z" + id);
            return node.put("updated_at", updatedAt).put("tier", tier);
        }

        /** The row the warehouse should hold: id, name, city, updated_at as DuckDB prints it. */
        List<Object> row() {
            return List.of(id, name, city, updatedAt.replace('T', ' '));
        }
    }

    final List<Customer> customers = new CopyOnWriteArrayList<>();

    ApiData() {
        reset();
    }

    void reset() {
        customers.clear();
        for (int i = 1; i <= 7; i++) {
            customers.add(new Customer(i, "name" + i, i % 2 == 0 ? "Lyon" : "Oslo",
                    String.format("2026-01-0%dT10:00:00", i), i <= 3 ? "gold" : "basic"));
        }
    }

    /** Replaces or adds a customer (by id). */
    void put(Customer customer) {
        customers.removeIf(c -> c.id() == customer.id());
        customers.add(customer);
    }

    List<List<Object>> rows() {
        return customers.stream().sorted(java.util.Comparator.comparingLong(Customer::id)).map(Customer::row)
                .toList();
    }

    private List<Customer> since(ApiServer.Hit hit) {
        String since = hit.param("since");
        return customers.stream().filter(c -> since == null || c.updatedAt().compareTo(since) > 0)
                .sorted(java.util.Comparator.comparing(Customer::updatedAt)).toList();
    }

    private static ArrayNode array(List<Customer> customers) {
        ArrayNode array = JSON.createArrayNode();
        customers.forEach(c -> array.add(c.json()));
        return array;
    }

    /** Registers the four routes on the server. */
    void serve(ApiServer server) {
        java.util.function.Function<ApiServer.Hit, ApiServer.Reply> cursor = hit -> {
            List<Customer> all = since(hit);
            int from = hit.param("cursor") == null ? 0 : Integer.parseInt(hit.param("cursor"));
            List<Customer> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + PAGE));
            ObjectNode body = JSON.createObjectNode();
            body.set("data", array(page));
            body.putObject("meta").put("next_cursor", from + PAGE < all.size() ? Integer.toString(from + PAGE) : null);
            return ApiServer.Reply.json(body.toString());
        };
        server.route("/cursor", cursor);
        server.route("/v1/customers", cursor);
        server.route("/page", hit -> {
            int size = Integer.parseInt(hit.param("per_page"));
            ObjectNode body = JSON.createObjectNode();
            body.set("items", array(ApiServer.page(since(hit), Integer.parseInt(hit.param("page")), size)));
            return ApiServer.Reply.json(body.toString());
        });
        server.route("/offset", hit -> {
            List<Customer> all = since(hit);
            int offset = Integer.parseInt(hit.param("offset"));
            int limit = Integer.parseInt(hit.param("limit"));
            return ApiServer.Reply.json(array(all.subList(Math.min(offset, all.size()),
                    Math.min(all.size(), offset + limit))).toString());
        });
        server.route("/link", hit -> {
            List<Customer> all = since(hit);
            int page = hit.param("p") == null ? 1 : Integer.parseInt(hit.param("p"));
            boolean more = page * PAGE < all.size();
            return new ApiServer.Reply(200, array(ApiServer.page(all, page, PAGE)).toString(), more
                    ? Map.of("Link", "</link?p=" + (page + 1) + ">; rel=\"next\", </link?p=1>; rel=\"first\"")
                    : Map.of(), false);
        });
    }

    static List<List<Object>> list(List<List<Object>> rows) {
        return new ArrayList<>(rows);
    }
}
