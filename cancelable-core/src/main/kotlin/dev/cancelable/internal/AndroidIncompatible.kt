package dev.cancelable.internal

/**
 * Marks a class that uses JDK APIs Android lacks (the signal API, the management beans). The
 * Android API check of the build skips classes with this mark; every other class of the core must
 * pass it. Code reaches a marked class only after checking that its API is there, so it never
 * fails to load on Android.
 */
@Retention(AnnotationRetention.BINARY)
@Target(AnnotationTarget.CLASS)
internal annotation class AndroidIncompatible
