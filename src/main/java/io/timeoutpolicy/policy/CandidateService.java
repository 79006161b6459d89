package io.timeoutpolicy.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.timeoutpolicy.platform.ServiceClock;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.JsonErrors;
import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Candidate versions (SPEC 10.2): created, replaced, aborted and promoted under If-Match, each change decided
 * on the rows PostgreSQL holds (locked while it is made), then announced to every replica.
 */
@ApplicationScoped
public class CandidateService {

    private final PolicyRepository repository;
    private final PolicyStore store;
    private final ServiceClock clock;
    private final ObjectMapper mapper;

    CandidateService(PolicyRepository repository, PolicyStore store, ServiceClock clock, ObjectMapper mapper) {
        this.repository = repository;
        this.store = store;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** A complete policy document plus {@code rollout}: the next version, status candidate. */
    public Uni<StoredVersion> put(String rawEnvironment, String ifMatch, JsonNode body, String writer) {
        EnvironmentPolicy current = store.require(rawEnvironment);
        String environment = current.environment();
        if (!(body instanceof ObjectNode document)) {
            throw ProblemException.badRequest("A JSON policy document with a rollout is required");
        }
        ObjectNode copy = document.deepCopy();
        JsonNode rolloutNode = copy.remove("rollout");
        List<FieldError> errors = new ArrayList<>();
        PolicyRequest request = bind(copy, PolicyRequest.class, "", errors);
        Rollout.Request rolloutRequest = rolloutNode == null || rolloutNode.isNull() ? null
                : bind(rolloutNode, Rollout.Request.class, "rollout.", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The candidate has " + errors.size() + " invalid field(s)", errors);
        }
        PolicyAssembler.Result assembled = PolicyAssembler.replace(request, current);
        errors.addAll(assembled.errors());
        Rollout rollout = Rollout.check(rolloutRequest, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The candidate has " + errors.size() + " invalid field(s)", errors);
        }
        Instant at = now();
        return repository.transition(environment, at, writer, heads -> {
            requireKnown(heads);
            CandidateRules.putCandidate(ifMatch, heads).ifPresent(problem -> {
                throw problem;
            });
            String replaced = heads.candidate() == null ? null : "{\"replaced_by_a_new_candidate\": true}";
            return new PolicyRepository.Plan(heads.candidate(), replaced, null, null, assembled.policy(),
                    VersionStatus.CANDIDATE, rollout);
        }).map(PolicyRepository.Outcome::versionOrThrow).map(version -> {
            StoredVersion candidate = new StoredVersion(assembled.policy().asVersion(version, at, writer),
                    VersionStatus.CANDIDATE, rollout, null, null, null);
            changed(environment, Optional.of(candidate));
            Log.infof("Policy of %s has candidate version %d (%s, written by %s)", environment, version,
                    rollout.mode().wireName() + (rollout.mode() == Rollout.Mode.CANARY ? " " + rollout.percent()
                            + "%" : ""), writer);
            return candidate;
        });
    }

    /** The candidate as PostgreSQL holds it; 404 without one. */
    public Uni<StoredVersion> get(String rawEnvironment) {
        String environment = store.require(rawEnvironment).environment();
        return repository.findCandidate(environment)
                .map(found -> found.orElseThrow(() -> CandidateRules.noCandidate(environment)));
    }

    /** DELETE: the candidate is aborted; every instance is served the current version again. */
    public Uni<Integer> abort(String rawEnvironment, String ifMatch, String writer) {
        String environment = store.require(rawEnvironment).environment();
        int[] aborted = new int[1];
        return repository.transition(environment, now(), writer, heads -> {
            requireKnown(heads);
            CandidateRules.onCandidate(ifMatch, heads).ifPresent(problem -> {
                throw problem;
            });
            aborted[0] = heads.candidate();
            return new PolicyRepository.Plan(heads.candidate(), "{\"aborted_by\": \"" + writer + "\"}", null, null,
                    null, null, null);
        }).map(PolicyRepository.Outcome::versionOrThrow).map(ignored -> {
            changed(environment, Optional.empty());
            Log.infof("Candidate version %d of %s aborted by %s", aborted[0], environment, writer);
            return aborted[0];
        });
    }

    /** POST …/promote: the candidate becomes current, the current one superseded. */
    public Uni<EnvironmentPolicy> promote(String rawEnvironment, String ifMatch, String writer) {
        String environment = store.require(rawEnvironment).environment();
        int[] promoted = new int[1];
        return repository.transition(environment, now(), writer, heads -> {
            requireKnown(heads);
            CandidateRules.onCandidate(ifMatch, heads).ifPresent(problem -> {
                throw problem;
            });
            promoted[0] = heads.candidate();
            return new PolicyRepository.Plan(null, null, heads.current(), heads.candidate(), null, null, null);
        }).map(PolicyRepository.Outcome::versionOrThrow).chain(ignored -> repository.findCurrent(environment))
                .map(found -> {
            EnvironmentPolicy policy = found.orElseThrow();
            store.remember(policy);
            changed(environment, Optional.empty());
            Log.infof("Candidate version %d of %s promoted by %s", promoted[0], environment, writer);
            return policy;
        });
    }

    /**
     * The guard's rollback: true for the one replica whose conditional update changed the candidate (SPEC 10.2);
     * every replica learns of it through the announcement or its next refresh.
     */
    public Uni<Boolean> rollBack(String environment, int version, String reasonJson) {
        return repository.rollBack(environment, version, reasonJson, now()).invoke(won -> {
            if (won) {
                changed(environment, Optional.empty());
            }
        });
    }

    private void changed(String environment, java.util.Optional<StoredVersion> candidate) {
        store.rememberCandidate(environment, candidate);
        store.announce(environment);
    }

    private void requireKnown(CandidateRules.Heads heads) {
        if (heads.current() == 0) {
            throw store.unknown(heads.environment());
        }
    }

    private <T> T bind(JsonNode node, Class<T> type, String prefix, List<FieldError> errors) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonMappingException e) {
            errors.add(JsonErrors.fieldError(e, prefix));
            return null;
        } catch (JsonProcessingException e) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix.replaceAll("\\.$", ""), "is not valid JSON"));
            return null;
        }
    }

    private Instant now() {
        return clock.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
