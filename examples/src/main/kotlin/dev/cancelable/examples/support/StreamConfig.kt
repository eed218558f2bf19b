package dev.cancelable.examples.support

import java.time.Duration

/**
 * How a [StreamSimulator] misbehaves, like a network stream of tokens from a language model: a base
 * delay between chunks with some jitter, chunks of varying size, bursts of chunks with almost no
 * delay, and stalls. Immutable; every value is checked when it is set, and a bad one is rejected
 * with an [IllegalArgumentException] naming it. Derive variants with the `with*` methods:
 *
 * ```kotlin
 * val flaky = StreamConfig.DEFAULT.withStallProbability(0.2).withStallDuration(Duration.ofMillis(400))
 * ```
 */
class StreamConfig private constructor(
    /** Delay before each ordinary chunk. */
    val baseDelay: Duration,
    /** Largest change, up or down, applied to [baseDelay] when jitter strikes. */
    val jitter: Duration,
    /** Chance (0 to 1) that a chunk's delay is jittered. */
    val jitterProbability: Double,
    /** Chance (0 to 1), before each chunk, of a stall. */
    val stallProbability: Double,
    /** How long a stall lasts. */
    val stallDuration: Duration,
    /** Chance (0 to 1) that the next chunks come as a burst. */
    val burstProbability: Double,
    /** Chunks in a burst. */
    val burstSize: Int,
    /** Delay between the chunks of a burst. */
    val burstDelay: Duration,
    /** Smallest chunk, in characters. */
    val minChunkSize: Int,
    /** Largest chunk, in characters. */
    val maxChunkSize: Int,
) {
    init {
        requireNotNegative(baseDelay, "baseDelay")
        requireNotNegative(jitter, "jitter")
        requireProbability(jitterProbability, "jitterProbability")
        requireProbability(stallProbability, "stallProbability")
        requireNotNegative(stallDuration, "stallDuration")
        requireProbability(burstProbability, "burstProbability")
        require(burstSize >= 1) { "burstSize must be at least 1, was $burstSize" }
        requireNotNegative(burstDelay, "burstDelay")
        require(minChunkSize >= 1) { "minChunkSize must be at least 1, was $minChunkSize" }
        require(maxChunkSize >= minChunkSize) {
            "maxChunkSize must be at least minChunkSize ($minChunkSize), was $maxChunkSize"
        }
    }

    fun withBaseDelay(value: Duration): StreamConfig = copy(baseDelay = value)
    fun withJitter(value: Duration, probability: Double): StreamConfig = copy(jitter = value, jitterProbability = probability)
    fun withStallProbability(value: Double): StreamConfig = copy(stallProbability = value)
    fun withStallDuration(value: Duration): StreamConfig = copy(stallDuration = value)
    fun withBurstProbability(value: Double): StreamConfig = copy(burstProbability = value)
    fun withBurstSize(value: Int): StreamConfig = copy(burstSize = value)
    fun withBurstDelay(value: Duration): StreamConfig = copy(burstDelay = value)
    fun withChunkSizes(min: Int, max: Int): StreamConfig = copy(minChunkSize = min, maxChunkSize = max)

    /** Every duration multiplied by [factor] (0.1 is ten times faster), the probabilities unchanged. */
    fun withTimeScale(factor: Double): StreamConfig {
        require(factor > 0.0 && factor.isFinite()) { "factor must be a positive number, was $factor" }
        fun Duration.times(f: Double): Duration = Duration.ofNanos(Math.round(toNanos() * f))
        return copy(
            baseDelay = baseDelay.times(factor),
            jitter = jitter.times(factor),
            stallDuration = stallDuration.times(factor),
            burstDelay = burstDelay.times(factor),
        )
    }

    private fun copy(
        baseDelay: Duration = this.baseDelay,
        jitter: Duration = this.jitter,
        jitterProbability: Double = this.jitterProbability,
        stallProbability: Double = this.stallProbability,
        stallDuration: Duration = this.stallDuration,
        burstProbability: Double = this.burstProbability,
        burstSize: Int = this.burstSize,
        burstDelay: Duration = this.burstDelay,
        minChunkSize: Int = this.minChunkSize,
        maxChunkSize: Int = this.maxChunkSize,
    ) = StreamConfig(
        baseDelay, jitter, jitterProbability, stallProbability, stallDuration,
        burstProbability, burstSize, burstDelay, minChunkSize, maxChunkSize,
    )

    override fun toString(): String =
        "StreamConfig(baseDelay=$baseDelay, jitter=$jitter@$jitterProbability, stall=$stallDuration@$stallProbability, " +
            "burst=$burstSize@$burstProbability/$burstDelay, chunks=$minChunkSize..$maxChunkSize)"

    companion object {
        /** 50 ms between chunks of 1 to 8 characters, some jitter, rare stalls, occasional bursts. */
        @JvmField
        val DEFAULT: StreamConfig = StreamConfig(
            baseDelay = Duration.ofMillis(50),
            jitter = Duration.ofMillis(20),
            jitterProbability = 0.3,
            stallProbability = 0.05,
            stallDuration = Duration.ofMillis(300),
            burstProbability = 0.1,
            burstSize = 5,
            burstDelay = Duration.ofMillis(1),
            minChunkSize = 1,
            maxChunkSize = 8,
        )

        private fun requireNotNegative(value: Duration, name: String) =
            require(!value.isNegative) { "$name must not be negative, was $value" }

        private fun requireProbability(value: Double, name: String) =
            require(value in 0.0..1.0) { "$name must be between 0 and 1, was $value" }
    }
}
