package dev.cancelable.registry

import dev.cancelable.OperationContext
import dev.cancelable.OperationStatus
import java.time.Duration
import java.time.Instant
import java.util.function.Predicate

/**
 * Which operations a registry lists, returns from history, or cancels: those that match every
 * criterion given (none given: all). Kotlin names the criteria in the constructor; Java starts from
 * `new OperationFilter()` and adds them one by one, each call returning a new filter.
 *
 * ```kotlin
 * registry.cancelAll(OperationFilter(namePattern = "user_123_*"), message = "user logged out")
 * ```
 * ```java
 * registry.cancelAll(new OperationFilter().namePattern("user_123_*"), MANUAL, "user logged out");
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


    /** This filter, also requiring [status]. */
    public fun status(status: OperationStatus): OperationFilter = copy(status = status)

    /** This filter, also requiring names that match the glob [namePattern]. */
    public fun namePattern(namePattern: String): OperationFilter = copy(namePattern = namePattern)

    /** This filter, also requiring direct children of [parentId]. */
    public fun parentId(parentId: String): OperationFilter = copy(parentId = parentId)

    /**
     * This filter, also requiring operations started at least [minAge] ago.
     *
     * @throws IllegalArgumentException if [minAge] is negative.
     */
    public fun minAge(minAge: Duration): OperationFilter = copy(minAge = minAge)

    /**
     * This filter, also requiring operations started at most [maxAge] ago.
     *
     * @throws IllegalArgumentException if [maxAge] is negative.
     */
    public fun maxAge(maxAge: Duration): OperationFilter = copy(maxAge = maxAge)

    /** This filter, also requiring operations that ended at or after [endedSince]. */
    public fun endedSince(endedSince: Instant): OperationFilter = copy(endedSince = endedSince)

    /** This filter, also requiring [predicate]. */
    public fun predicate(predicate: Predicate<OperationContext>): OperationFilter = copy(predicate = predicate)

    private fun copy(
        status: OperationStatus? = this.status,
        namePattern: String? = this.namePattern,
        parentId: String? = this.parentId,
        minAge: Duration? = this.minAge,
        maxAge: Duration? = this.maxAge,
        endedSince: Instant? = this.endedSince,
        predicate: Predicate<OperationContext>? = this.predicate,
    ) = OperationFilter(status, namePattern, parentId, minAge, maxAge, endedSince, predicate)

}

/** Matches every operation. */
internal val ALL_OPERATIONS: OperationFilter = OperationFilter()
