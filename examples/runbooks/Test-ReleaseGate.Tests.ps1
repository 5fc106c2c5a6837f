# Test-ReleaseGate.ps1 against the sample runs (samples/README.md, tests/WandbRunOps.Testing/SampleSet.cs): sweep
# swp01 has fin0002b (calm-forest-2, accuracy 0.95, logged model with aliases latest and best), fin0003c (accuracy
# 0.88, logged the plot artifact confusion:latest and no model) and fail004d (failed, accuracy NaN). So the best
# finished run is fin0002b: the gate passes at 0.9 and rejects at 0.96. The same questions are asked of the local
# folders and of the loopback W&B server serving them, with the same answers.
#
# The pattern to copy for a runbook of your own: fresh samples with New-SampleRuns, the loopback server with
# Start-FakeWandb, one Describe per source, and concrete answers taken from the samples.

BeforeAll {
    . (Join-Path (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests') 'common.ps1')
    $script:runbook = Join-Path $PSScriptRoot 'Test-ReleaseGate.ps1'
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:sources = @{
        Local = @{ Path = $wandb }
        Api   = @{ Project = $server.Project; Entity = $server.Entity; BaseUrl = $server.Url; ApiKey = $server.Key }
    }
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Test-ReleaseGate (<Source>)' -ForEach @(
    @{ Source = 'Local' }
    @{ Source = 'Api' }
) {
    BeforeAll {
        $from = $sources[$Source]
    }

    It 'passes at 0.9: fin0002b has accuracy 0.95 and logged model:latest' {
        $result = & $runbook @from -Sweep swp01 -Threshold 0.9
        $result | Should -HaveCount 1
        $result.Passed | Should -BeTrue
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.Run.Name | Should -BeExactly 'calm-forest-2'
        $result.Metric | Should -BeExactly 'accuracy'
        $result.MetricValue | Should -Be 0.95
        $result.Threshold | Should -Be 0.9
        $result.LoggedArtifact.Name | Should -BeExactly 'model'
        $result.LoggedArtifact.Aliases | Should -Contain 'latest'
        $result.Reason | Should -BeExactly 'fin0002b (calm-forest-2) has accuracy 0.95 >= 0.9 and logged model:latest.'
    }

    It 'rejects at 0.96, saying that the metric is below the threshold' {
        $result = & $runbook @from -Sweep swp01 -Threshold 0.96
        $result.Passed | Should -BeFalse
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.MetricValue | Should -Be 0.95
        $result.LoggedArtifact | Should -Not -BeNullOrEmpty
        $result.Reason | Should -BeExactly 'Rejected: accuracy 0.95 of fin0002b is below the threshold 0.96.'
    }

    It 'throws ReleaseGateRejected with -FailOnReject when it rejects' {
        { & $runbook @from -Sweep swp01 -Threshold 0.96 -FailOnReject } |
            Should -Throw -ErrorId 'ReleaseGateRejected*' -ExpectedMessage '*below the threshold 0.96*'
    }

    It 'returns the result and does not throw with -FailOnReject when it passes' {
        $result = & $runbook @from -Sweep swp01 -Threshold 0.9 -FailOnReject
        $result.Passed | Should -BeTrue
    }

    It 'rejects when the best run did not log the artifact, even though another run of the sweep did' {
        $result = & $runbook @from -Sweep swp01 -Threshold 0.9 -Artifact 'confusion:latest'
        $result.Passed | Should -BeFalse
        $result.RunId | Should -BeExactly 'fin0002b'
        $result.LoggedArtifact | Should -BeNullOrEmpty
        $result.Reason | Should -BeExactly 'Rejected: fin0002b did not log confusion:latest.'
    }

    It 'gives both reasons when both checks fail' {
        $result = & $runbook @from -Sweep swp01 -Threshold 0.99 -Artifact 'confusion:latest'
        $result.Reason | Should -BeExactly 'Rejected: accuracy 0.95 of fin0002b is below the threshold 0.99; fin0002b did not log confusion:latest.'
    }

    It 'accepts another alias of the model: fin0002b''s model is also aliased best' {
        (& $runbook @from -Sweep swp01 -Threshold 0.9 -Artifact 'model:best').Passed | Should -BeTrue
    }

    It 'rejects a sweep with no finished run' {
        $result = & $runbook @from -Sweep no-such-sweep -Threshold 0.5
        $result.Passed | Should -BeFalse
        $result.Run | Should -BeNullOrEmpty
        $result.MetricValue | Should -BeNullOrEmpty
        $result.Reason | Should -BeExactly "Rejected: sweep 'no-such-sweep' has no finished run."
    }

    It 'rejects when no finished run logged the metric' {
        $result = & $runbook @from -Sweep swp01 -Metric f1 -Threshold 0.5
        $result.Passed | Should -BeFalse
        $result.Reason | Should -BeExactly "Rejected: no finished run of sweep 'swp01' logged a finite 'f1' (of 2 finished)."
    }
}

Describe 'Test-ReleaseGate in a CI step' {
    BeforeAll {
        # The module is found by name, as on a CI machine where it is installed: out/ goes on PSModulePath.
        $script:savedModulePath = $env:PSModulePath
        $env:PSModulePath = (Split-Path -Parent (Split-Path -Parent $WandbRunOpsManifest)) + [System.IO.Path]::PathSeparator + $env:PSModulePath
        # The same PowerShell that runs these tests: powershell.exe (5.1), pwsh, or `dotnet pwsh.dll` (the .NET tool).
        $script:shell = Get-PowerShellCommand
    }

    AfterAll {
        $env:PSModulePath = $savedModulePath
    }

    It 'exits with code <ExitCode> from -File -FailOnReject at threshold <Threshold>, after judging fin0002b' -TestCases @(
        @{ Threshold = '0.9'; ExitCode = 0 }
        @{ Threshold = '0.96'; ExitCode = 1 }
    ) {
        # Standard output only: Windows PowerShell turns a redirected stderr line into an error record.
        $output = & $shell.FilePath @($shell.Arguments + @('-NoProfile', '-NonInteractive', '-File', $runbook, '-Path', $wandb, '-Sweep', 'swp01', '-Threshold', $Threshold, '-FailOnReject'))
        $LASTEXITCODE | Should -Be $ExitCode -Because ($output -join [System.Environment]::NewLine)
        # The exit code alone would also come from a shell that never ran the runbook: its output must name the run.
        ($output -join [System.Environment]::NewLine) | Should -Match 'fin0002b'
    }
}
