package dev.cancelable.registry

import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import java.time.Duration
import java.time.Instant
import java.util.function.Predicate

/**
 * Which operations a registry lists, returns from history, or cancels: those that match every
 * criterion given (none given: all).
 *
 * ```kotlin
 * registry.cancelAll(OperationFilter(namePattern = "user_123_*"), message = "user logged out")
 * ```
 * ```java
 * registry.cancelAll(OperationFilter.builder().namePattern("user_123_*").build(), MANUAL, "user logged out");
 * ```
 *
 * Immutable; thread-safe (the [predicate] must be too).
 *
 * @param status only this status.
 * @param namePattern a glob (`*` any run of characters, `?` one character) matched against the whole
 *   name; a pattern without wildcards matches as a substring.
 * @param parentId only direct children of this operation.
 * @param minAge only operations started at least this long ago.
 * @param maxAge only operations started at most this long ago.
 * @param endedSince only operations that ended at or after this instant (history).
 * @param predicate any further test.
 * @throws IllegalArgumentException if [minAge] or [maxAge] is negative.
 */
public class OperationFilter(
    private val status: OperationStatus? = null,
    private val namePattern: String? = null,
    private val parentId: String? = null,
    private val minAge: Duration? = null,
    private val maxAge: Duration? = null,
    private val endedSince: Instant? = null,
    private val predicate: Predicate<OperationContext>? = null,
) {
    init {
        require(minAge == null || !minAge.isNegative) { "minAge must not be negative, was $minAge" }
        require(maxAge == null || !maxAge.isNegative) { "maxAge must not be negative, was $maxAge" }
    }

    private val pattern = namePattern?.let(NamePattern::of)

    /** True if [operation] matches every criterion, with ages measured at [now]. */
    internal fun matches(operation: OperationContext, now: Instant): Boolean {
        if (status != null && operation.status != status) return false
        if (parentId != null && operation.parentId != parentId) return false
        if (pattern != null && !pattern.matches(operation.name)) return false
        if (minAge != null || maxAge != null) {
            val age = Duration.between(operation.startTime ?: return false, now)
            if ((minAge != null && age < minAge) || (maxAge != null && age > maxAge)) return false
        }
        if (endedSince != null) {
            val end = operation.endTime ?: return false
            if (end.isBefore(endedSince)) return false
        }
        return predicate == null || predicate.test(operation)
    }

    override fun toString(): String = listOfNotNull(
        status?.let { "status=$it" }, namePattern?.let { "namePattern=$it" }, parentId?.let { "parentId=$it" },
        minAge?.let { "minAge=$it" }, maxAge?.let { "maxAge=$it" }, endedSince?.let { "endedSince=$it" },
        predicate?.let { "predicate" },
    ).joinToString(prefix = "OperationFilter(", postfix = ")")

    /** Builds a filter from Java, one criterion at a time. Not thread-safe; the filter it builds is. */
    public class Builder internal constructor() {
        private var status: OperationStatus? = null
        private var namePattern: String? = null
        private var parentId: String? = null
        private var minAge: Duration? = null
        private var maxAge: Duration? = null
        private var endedSince: Instant? = null
        private var predicate: Predicate<OperationContext>? = null

        /** Only this status. */
        public fun status(status: OperationStatus): Builder = apply { this.status = status }

        /** Only names matching this glob (a pattern without wildcards matches as a substring). */
        public fun namePattern(namePattern: String): Builder = apply { this.namePattern = namePattern }

        /** Only direct children of this operation. */
        public fun parentId(parentId: String): Builder = apply { this.parentId = parentId }

        /** Only operations started at least this long ago. */
        public fun minAge(minAge: Duration): Builder = apply { this.minAge = minAge }

        /** Only operations started at most this long ago. */
        public fun maxAge(maxAge: Duration): Builder = apply { this.maxAge = maxAge }

        /** Only operations that ended at or after this instant. */
        public fun endedSince(endedSince: Instant): Builder = apply { this.endedSince = endedSince }

        /** Any further test. */
        public fun predicate(predicate: Predicate<OperationContext>): Builder = apply { this.predicate = predicate }

        /**
         * The filter.
         *
         * @throws IllegalArgumentException if an age is negative.
         */
        public fun build(): OperationFilter = OperationFilter(status, namePattern, parentId, minAge, maxAge, endedSince, predicate)
    }

    /** The filter that matches everything, and the Java builder. */
    public companion object {
        /** Matches every operation. */
        @JvmField
        public val ALL: OperationFilter = OperationFilter()

        /** A builder, for Java. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
