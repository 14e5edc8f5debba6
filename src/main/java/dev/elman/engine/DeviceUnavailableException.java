package dev.elman.engine;

/**
 * Thrown at startup when {@code elman.device} asks for a GPU that PyTorch cannot see.
 */
public class DeviceUnavailableException extends RuntimeException {

	private final transient DeviceSetting requested;

	private final int visibleGpus;

	DeviceUnavailableException(DeviceSetting requested, int visibleGpus) {
		super(describe(requested, visibleGpus));
		this.requested = requested;
		this.visibleGpus = visibleGpus;
	}

	private static String describe(DeviceSetting requested, int visibleGpus) {
		String seen = switch (visibleGpus) {
			case 0 -> "PyTorch sees no GPU on this machine";
			case 1 -> "PyTorch sees only 1 GPU (gpu:0)";
			default -> "PyTorch sees only " + visibleGpus + " GPUs (gpu:0 to gpu:" + (visibleGpus - 1) + ")";
		};
		return "elman.device is set to '" + requested + "' but " + seen + ".";
	}

	/**
	 * Returns the setting that could not be satisfied.
	 * @return the requested device
	 */
	public DeviceSetting getRequested() {
		return this.requested;
	}

	/**
	 * Returns how many GPUs PyTorch could see.
	 * @return the visible GPU count
	 */
	public int getVisibleGpus() {
		return this.visibleGpus;
	}

}
