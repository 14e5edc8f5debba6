package dev.elman.engine;

import dev.elman.ElmanApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class EngineStartupTests {

	@Test
	void askingForAnAbsentGpuStopsTheServiceWithOneClearSentenceAndNoStackTrace(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(ElmanApplication.class, "--elman.device=gpu",
				"--server.port=0", "--elman.data-dir=target/startup-test-data"));
		assertThat(output).contains("elman.device is set to 'gpu:0' but PyTorch sees no GPU on this machine.")
			.contains("Set elman.device to 'cpu' or 'auto'")
			.doesNotContain("\tat dev.elman");
	}

	@Test
	void anUnknownDeviceIsRefusedNamingTheSetting(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(ElmanApplication.class, "--elman.device=tpu",
				"--server.port=0", "--elman.data-dir=target/startup-test-data"));
		assertThat(output).contains("elman.device").contains("use auto, cpu, gpu or gpu:N");
	}

	@Test
	void theFailureAnalysisSuggestsWhatToDo() {
		DeviceUnavailableException missing = new DeviceUnavailableException(DeviceSetting.valueOf("gpu"), 0);
		FailureAnalysis analysis = new DeviceUnavailableFailureAnalyzer().analyze(new IllegalStateException(missing));
		assertThat(analysis.getDescription()).isEqualTo(missing.getMessage());
		assertThat(analysis.getAction()).contains("GPU deployment");
	}

}
