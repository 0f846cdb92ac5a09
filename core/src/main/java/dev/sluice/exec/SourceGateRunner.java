package dev.sluice.exec;

import dev.sluice.QualityResult;
import dev.sluice.connect.SourceGates;
import dev.sluice.engine.Session;
import dev.sluice.quality.Rule;
import java.util.List;

/** The gate runner as connectors see it: source gates, run inside a load's transaction. */
final class SourceGateRunner implements SourceGates {
    private final GateRunner gates;

    SourceGateRunner(GateRunner gates) {
        this.gates = gates;
    }

    /** A gate runner's outcome behind the connectors' view of it. */
    private record Checked(GateRunner.Checked checked) implements Outcome {
        @Override
        public boolean passed() {
            return checked.passed();
        }

        @Override
        public String failure() {
            return checked.failure();
        }

        @Override
        public List<QualityResult> results() {
            return checked.results();
        }
    }

    @Override
    public Outcome check(Session session, String source, List<Rule> rules, String relation) {
        return new Checked(gates.check(session, source, rules, relation));
    }

    @Override
    public long quarantine(Session session, Outcome outcome, String schema, String table, String relation) {
        return gates.quarantine(session, ((Checked) outcome).checked(), schema, table, relation);
    }

    @Override
    public void record(Session session, Outcome outcome, boolean published) {
        gates.record(session, ((Checked) outcome).checked(), published);
    }
}
