# Get-WandbArtifact as a CI job uses it: artifacts by name or reference, without a run, from the sample runs' folders
# and from the loopback server holding the same runs (model:best logged by fin0002b, mnist:v3 used by fin0001a and
# fin0003c, confusion logged by fin0003c).

BeforeAll {
    . $PSScriptRoot/common.ps1
    . $PSScriptRoot/RunChanges.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    Start-ChangeServer -WandbFolder $wandb
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Get-WandbArtifact' {
    It 'gets one version by name:alias with its producing run, on both sources' {
        $remote = Get-WandbArtifact @api -Name model:best
        $local = Get-WandbArtifact -Path $wandb -Name model:best
        $remote.RunId | Should -Be 'fin0002b'
        $local.RunId | Should -Be 'fin0002b'
        $remote.Aliases | Should -Contain 'best'
        $remote | Should -BeOfType ([WandbRunOps.Model.WandbArtifact])
        ($remote.RunId | Get-WandbRun @api).Summary.accuracy | Should -Be 0.95
    }

    It 'reads a full entity/project/name:alias reference from the project it names' {
        $artifact = Get-WandbArtifact -Reference acme-ml/mnist-sweep/confusion:latest -BaseUrl $url -ApiKey $server.Key
        $artifact.Reference | Should -Be 'confusion:v0'
        $artifact.RunId | Should -Be 'fin0003c'
        $artifact.Type | Should -Be 'plot'
    }

    It 'gives every version of a collection named alone, and matching collections for wildcards and -Type' {
        @(Get-WandbArtifact @api -Name mnist).Reference | Should -Be @('mnist:v3', 'mnist:v4')
        @(Get-WandbArtifact @api -Name 'mnist*' -Type dataset).Name | Sort-Object -Unique | Should -Be @('mnist', 'mnist-prepared')
        @(Get-WandbArtifact @api -Type plot).Reference | Should -Be 'confusion:v0'
        @(Get-WandbArtifact -Path $wandb -Type plot).Reference | Should -Be 'confusion:latest'
    }

    It 'reports a name that names nothing and still outputs the others; refuses a malformed reference' {
        $out = @(Get-WandbArtifact @api -Name nope:v1, mnist:v3 -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Reference | Should -Be 'mnist:v3'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WandbArtifactNotFound,*'
        $problems[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/nope:v1'
        { Get-WandbArtifact -Path $wandb -Name 'a:b:c' -ErrorAction Stop } | Should -Throw -ErrorId 'WandbInvalidArgument,WandbRunOps.Commands.GetWandbArtifactCommand'
    }

    It 'gives a malformed name its own error and still looks up the names beside it (<Source>)' -TestCases @(
        @{ Source = 'Local' }
        @{ Source = 'Api' }
    ) {
        $from = if ($Source -eq 'Local') { @{ Path = $wandb } } else { $api }
        $out = @(Get-WandbArtifact @from -Name 'a:b:c', 'mnist:v3', 'x:' -ErrorVariable problems -ErrorAction SilentlyContinue)
        $out.Reference | Should -Be 'mnist:v3'
        @($problems | ForEach-Object { $_.FullyQualifiedErrorId }) | Should -Be @('WandbInvalidArgument,WandbRunOps.Commands.GetWandbArtifactCommand', 'WandbInvalidArgument,WandbRunOps.Commands.GetWandbArtifactCommand')
        @(Get-WandbArtifact @from -Name 'a:b:c' -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'shows the artifact table without type names, and finds the consumers with Get-WandbRun -UsedArtifact' {
        $text = Out-UserText -InputObject @(Get-WandbArtifact @api -Name mnist) -Width 80
        Assert-NoTypeName $text
        $text | Should -Match 'mnist:v3'
        (Get-WandbRun @api -UsedArtifact mnist:v3).Id | Should -Be @('fin0001a', 'fin0003c')
        (Get-WandbRun -Path $wandb -UsedArtifact mnist:v3).Id | Should -Be @('fin0001a', 'fin0003c')
    }

    It 'completes -Name and Get-WandbRun -UsedArtifact with the source''s collections, aliases and versions' {
        Push-Location (Split-Path -Parent $wandb)
        try {
            $line = 'Get-WandbArtifact -Name mo'
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('model', 'model:best', 'model:latest')
            $line = 'Get-WandbRun -UsedArtifact mnist:'
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('mnist:latest', 'mnist:v3')
        }
        finally { Pop-Location }
        $line = "Get-WandbArtifact -Project acme-ml/mnist-sweep -BaseUrl $url -Name mnist:"
        Connect-Wandb -BaseUrl $url -ApiKey $server.Key -Project acme-ml/mnist-sweep | Out-Null
        try { @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('mnist:latest', 'mnist:v3', 'mnist:v4') }
        finally { Disconnect-Wandb }
    }
}
