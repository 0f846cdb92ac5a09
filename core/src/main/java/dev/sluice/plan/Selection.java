package dev.sluice.plan;

import java.util.List;

/**
 * Which models a command acts on. Each selector is {@code name}, {@code name+} (with everything downstream),
 * {@code +name} (with everything upstream), {@code +name+}, or {@code tag:x}; a selector string may hold several
 * separated by spaces. An empty {@code select} means every model.
 */
public record Selection(List<String> select, List<String> exclude) {
    public Selection {
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
    }

    public static Selection all() {
        return new Selection(List.of(), List.of());
    }
}
