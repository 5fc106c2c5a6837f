# Set-WandbRun -RemoveTag <Tab>, as a user presses it in real pwsh: the tags of the run -Id names, from the run
# folders of ./wandb and from a W&B project over the API (the loopback server). The cmdlet's other tests are in
# Set-WandbRun.Tests.ps1.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')

    function script:Complete([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
}

Describe 'Set-WandbRun -RemoveTag completion' {
    It 'completes the tags of fin0002b (sweep, best) in the folder that holds wandb/' {
        Push-Location -LiteralPath (Split-Path -Parent $wandb)
        try {
            $found = Complete 'Set-WandbRun -Id fin0002b -RemoveTag '
            $found.CompletionText -join ',' | Should -BeExactly 'best,sweep'
            $found[1].ToolTip | Should -BeExactly 'tag sweep (on fin0002b)'
            (Complete 'Set-WandbRun -Id fin0002b -RemoveTag sw').CompletionText | Should -BeExactly 'sweep'
        }
        finally {
            Pop-Location
        }
    }

    It 'completes the tags of fin0002b as the W&B project has them' {
        $server = Start-FakeWandb -WandbFolder $wandb
        try {
            $global:key = $server.Key
            # The completer gives up after 2 seconds: pay the first use of the API client before, not inside, it.
            $null = Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $server.Url -ApiKey $server.Key -Id fin0002b
            $line = "Set-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $($server.Url) -ApiKey `$key -Id fin0002b -RemoveTag "
            (Complete $line).CompletionText -join ',' | Should -BeExactly 'best,sweep'
        }
        finally {
            Remove-Variable -Name key -Scope Global -ErrorAction SilentlyContinue
            Stop-FakeWandb -Server $server
        }
    }
}
