package dev.vigil.observe.errors;

import java.util.List;

/**
 * One exception of a stack trace's chain: its type ({@code null} when the text does not say) and
 * its frames, the most recent call first.
 */
record ExceptionBlock(String type, List<Frame> frames) {}
