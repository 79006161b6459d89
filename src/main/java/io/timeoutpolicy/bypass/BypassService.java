package io.timeoutpolicy.bypass;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.analysis.AnalysisService;
import io.timeoutpolicy.analysis.FailureAnalysis;
import io.timeoutpolicy.history.HistoryView;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.database.DatabaseStatus;
import io.timeoutpolicy.platform.database.JsonCodec;
import io.timeoutpolicy.platform.database.WriteBehind;
import io.timeoutpolicy.platform.database.WriteBehinds;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.timeoutpolicy.policy.EnvironmentName;
import io.timeoutpolicy.policy.EnvironmentPolicy;
import io.timeoutpolicy.policy.InputLimits;
import io.timeoutpolicy.policy.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Takes bypass decisions (SPEC 4.5): checks the input, applies the rules, stores the decision, then answers;
 * and reads them back (the audit log, page by page, and one by id). A decision taken while the database is
 * unavailable is answered at once, held in a write-behind buffer and stored when it is back, in the order
 * decisions were taken; meanwhile it is found by id.
 */
// Made at start-up, so that its write-behind buffer and gauge exist before the first request.
@Startup
@ApplicationScoped
public class BypassService {


    private final PolicyStore policies;
    private final AnalysisService analyses;
    private final HistoryView history;
    private final DecisionRepository decisions;
    private final WriteBehind<BypassDecision> held;
    private final DatabaseStatus database;
    private final ServiceClock clock;
    private final MeterRegistry registry;

    BypassService(PolicyStore policies, AnalysisService analyses, HistoryView history, DecisionRepository decisions,
            DatabaseStatus database, ServiceClock clock, BypassConfig config, WriteBehinds writeBehinds,
            ObjectMapper mapper, MeterRegistry registry) {
        this.policies = policies;
        this.analyses = analyses;
        this.history = history;
        this.decisions = decisions;
        // One insert after the other, so that decisions are stored in the order they were taken.
        this.held = writeBehinds.create("decisions", config.writeBehind(), batch -> Multi.createFrom()
                .iterable(batch).onItem().transformToUniAndConcatenate(decisions::insert).collect().last()
                .replaceWithVoid(), JsonCodec.of(mapper, BypassDecision.class));
        Gauge.builder("timeout_policy.pending_decisions", held, WriteBehind::depth)
                .description("Bypass decisions answered and waiting to be written to the database").register(registry);
        this.database = database;
        this.clock = clock;
        this.registry = registry;
    }

    public Uni<BypassDecision> decide(BypassRequest request, String key) {
        EnvironmentPolicy policy = check(request);
        List<String> types = request.failureTypes() == null ? List.of()
                : request.failureTypes().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        BypassRules.Input input = new BypassRules.Input(request.criticalFailures(),
                Boolean.TRUE.equals(request.manualOverride()), types);
        // Without the database, or before the stored history is loaded, the analysis cannot be trusted:
        // it is unavailable, and the basic logic answers with degraded: true (SPEC 4.5).
        FailureAnalysis analysis = history.isComplete(policy.adaptive().historyWindow()) && database.isHealthy()
                ? analyses.analysis(policy) : null;
        BypassRules.Verdict verdict = BypassRules.decide(input, policy, analysis);
        BypassDecision decision = new BypassDecision(UUID.randomUUID(), policy.environment(), verdict.bypass(),
                verdict.rule(), verdict.reason(), verdict.degraded(), input.criticalFailures(), input.manualOverride(),
                types, request.service(), request.deployment(), request.requestedBy(), key, analysis,
                policy.version(), clock.now().truncatedTo(ChronoUnit.MICROS));
        return held.writeOrKeep(List.of(decision)).replaceWith(decision).invoke(this::logAndCount);
    }

    /** One page of the audit log, newest first; a cursor names the next. */
    public Uni<DecisionPage> page(DecisionQuery query) {
        return decisions.list(query).map(rows -> {
            boolean more = rows.size() > query.limit();
            List<BypassDecision> page = more ? rows.subList(0, query.limit()) : rows;
            return new DecisionPage(page, more ? DecisionQuery.cursorAfter(page.get(page.size() - 1)) : null);
        });
    }

    /** A decision by id: stored, or still held for the database. */
    public Uni<BypassDecision> find(UUID id) {
        var waiting = held.held().stream().filter(d -> d.id().equals(id)).findFirst();
        if (waiting.isPresent()) {
            return Uni.createFrom().item(waiting.get());
        }
        return decisions.find(id).map(found -> found.orElseThrow(() -> ProblemException.notFound(
                "unknown-decision", "No bypass decision " + id)));
    }

    private void logAndCount(BypassDecision d) {
        Log.infof("Bypass %s for %s (%s): rule %s, %d critical failure(s) %s, key %s, decision %s",
                d.bypass() ? "granted" : "refused", d.environment(), d.deployment(), d.rule(), d.criticalFailures(),
                d.failureTypes(), d.requestedByKey(), d.id());
        registry.counter("timeout_policy.bypass.decisions", "environment", d.environment(), "rule", d.rule(),
                "outcome", d.bypass() ? "bypass" : "blocked").increment();
    }

    /** The whole request is checked first: a 400 lists every bad field; an unknown environment is a 422. */
    private EnvironmentPolicy check(BypassRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("A JSON bypass request is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.environment() == null || EnvironmentName.normalize(request.environment()).isEmpty()) {
            errors.add(new FieldError("environment", "is required and must match " + EnvironmentName.FORM));
        }
        Integer failures = request.criticalFailures();
        if (failures == null || failures < 0 || failures > InputLimits.MAX_COUNT) {
            errors.add(new FieldError("critical_failures",
                    "is required: an integer from 0 to " + InputLimits.MAX_COUNT));
        }
        InputLimits.failureTypes(request.failureTypes(), "failure_types", errors);
        InputLimits.text(request.service(), "service", errors);
        InputLimits.text(request.deployment(), "deployment", errors);
        InputLimits.text(request.requestedBy(), "requested_by", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The request has " + errors.size() + " invalid field(s)", errors);
        }
        String environment = EnvironmentName.normalize(request.environment()).orElseThrow();
        return policies.find(environment).orElseThrow(() -> ProblemException.unprocessable("unknown-environment",
                "No policy for environment '" + environment + "'; known environments: "
                        + String.join(", ", policies.known()),
                List.of(new FieldError("environment", "unknown environment '" + environment + "'"))));
    }
}
