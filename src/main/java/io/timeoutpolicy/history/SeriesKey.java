package io.timeoutpolicy.history;

import io.timeoutpolicy.policy.Operation;

/**
 * One series of the history: the attempts of one environment and operation. Every answer looks its series up by
 * one of these, so equality is written out: the record's generated equals and the enum's identity hash showed as
 * 5 % of a GET timeouts in a profile (BENCHMARKS.md).
 */
public record SeriesKey(String environment, Operation operation) {

    @Override
    public boolean equals(Object other) {
        return other instanceof SeriesKey key && operation == key.operation && environment.equals(key.environment);
    }

    @Override
    public int hashCode() {
        return environment.hashCode() * 31 + operation.ordinal();
    }

    @Override
    public String toString() {
        return environment + '/' + operation.wireName();
    }
}
