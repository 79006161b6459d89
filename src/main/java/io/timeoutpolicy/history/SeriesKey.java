package io.timeoutpolicy.history;

import io.timeoutpolicy.policy.Operation;

/** One series of the history: the attempts of one environment and operation. */
public record SeriesKey(String environment, Operation operation) {

    @Override
    public String toString() {
        return environment + '/' + operation.wireName();
    }
}
