# Invoke-DeployGate.ps1 against the sample runs plus artf009i (tests/WandbRunOps.Testing/ArtifactRunSet.cs): artf009i
# (staged-pine-9, finished, accuracy 0.93) logged weights with aliases latest and production, whose three files the
# SDK staged outside the run folder (plus a reference entry to s3://), and used mnist:v3, as fin0001a did; fin0002b
# used mnist:latest (version v4 on the server). The loopback server serves the same folders and gives fin0002b's
# model the alias production, so model:production exists there only. Each question is asked of both sources, with the
# same answers; a corrupt download is the server's fault switch.

BeforeAll {
    . (Join-Path (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests') 'common.ps1')
    $script:runbook = Join-Path $PSScriptRoot 'Invoke-DeployGate.ps1'
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:staging = Join-Path $TestDrive 'staging'
    $null = New-ArtifactRun -WandbFolder $wandb -StagingPath $staging
    $script:server = Start-FakeWandb -WandbFolder $wandb -ArtifactAlias 'model:best=production' -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:sources = @{
        Local = @{ Path = $wandb }
        Api   = @{ Project = $server.Project; Entity = $server.Entity; BaseUrl = $server.Url; ApiKey = $server.Key }
    }

    # The files a destination holds, as paths relative to it.
    function Get-Tree([string] $Root) {
        Get-ChildItem -LiteralPath $Root -Recurse -File -Force -ErrorAction SilentlyContinue |
            ForEach-Object { $_.FullName.Substring($Root.Length + 1).Replace('\', '/') } | Sort-Object
    }
}

AfterAll {
    Stop-FakeWandb -Server $server
}

Describe 'Invoke-DeployGate (<Source>)' -ForEach @(
    @{ Source = 'Local' }
    @{ Source = 'Api' }
) {
    BeforeAll {
        $from = $sources[$Source]
    }

    It 'passes weights:production: artf009i finished with accuracy 0.93 >= 0.9 and used mnist:v3; the files are saved and verified' {
        $dest = Join-Path $TestDrive "$Source-pass"
        $result = & $runbook @from -Artifact weights:production -ApprovedDataset mnist:v3 -Threshold 0.9 -Destination $dest -WarningVariable warned -WarningAction SilentlyContinue
        $result | Should -HaveCount 1
        $result.Passed | Should -BeTrue
        $result.ProducerRunId | Should -BeExactly 'artf009i'
        $result.Producer.Name | Should -BeExactly 'staged-pine-9'
        $result.MetricValue | Should -Be 0.93
        $result.UsedDatasets | Should -Be @('mnist:v3')
        $result.Artifact.Aliases | Should -Contain 'production'
        $result.Reason | Should -BeLike "weights:production (*) was produced by artf009i (staged-pine-9), which finished with accuracy 0.93 >= 0.9 and used mnist:v3; 3 files saved and verified in $dest."

        (Get-Tree $dest) -join ',' | Should -BeExactly 'config.json,labels/classes.txt,weights/model.bin'
        @($result.Files | ForEach-Object { $_.GetType().Name } | Select-Object -Unique) | Should -Be @('FileInfo')
        foreach ($path in 'config.json', 'labels/classes.txt', 'weights/model.bin') {
            (Get-FileHash (Join-Path $dest $path)).Hash | Should -BeExactly (Get-FileHash (Join-Path (Join-Path $staging 'weights') $path)).Hash -Because $path
        }
        "$warned" | Should -Match 'data/train\.csv -> s3://acme-datasets/mnist/train\.csv'
    }

    It 'rejects below the threshold, and downloads nothing' {
        $dest = Join-Path $TestDrive "$Source-low"
        $result = & $runbook @from -Artifact weights:production -ApprovedDataset mnist:v3 -Threshold 0.95 -Destination $dest
        $result.Passed | Should -BeFalse
        $result.MetricValue | Should -Be 0.93
        $result.Files | Should -HaveCount 0
        $result.Reason | Should -BeExactly 'Rejected: accuracy 0.93 of its producer artf009i is below the threshold 0.95.'
        Test-Path -LiteralPath $dest | Should -BeFalse
    }

    It 'rejects a model whose producer did not use the approved dataset version, naming what it used' {
        $dest = Join-Path $TestDrive "$Source-dataset"
        $result = & $runbook @from -Artifact weights:production -ApprovedDataset mnist:latest -Threshold 0.9 -Destination $dest
        $result.Passed | Should -BeFalse
        $result.Reason | Should -BeExactly 'Rejected: its producer artf009i used mnist:v3, not the approved mnist:latest.'
        Test-Path -LiteralPath $dest | Should -BeFalse
    }

    It 'rejects a version that does not exist, and says so' {
        $result = & $runbook @from -Artifact nosuch:production -ApprovedDataset mnist:v3 -Threshold 0.9 -Destination (Join-Path $TestDrive "$Source-none")
        $result.Passed | Should -BeFalse
        $result.Artifact | Should -BeNullOrEmpty
        $result.ProducerRunId | Should -BeNullOrEmpty
        $result.Reason | Should -BeExactly 'Rejected: nosuch:production does not exist.'
    }

    It 'throws DeployGateRejected with -FailOnReject when it rejects, after writing the result' {
        $written = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        try {
            & $runbook @from -Artifact weights:production -ApprovedDataset mnist:v3 -Threshold 0.99 -Destination (Join-Path $TestDrive "$Source-fail") -FailOnReject |
                ForEach-Object { $written.Add($_) }
        }
        catch {
            $caught = $_
        }
        $caught.FullyQualifiedErrorId | Should -BeLike 'DeployGateRejected*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidResult'
        "$caught" | Should -BeLike '*below the threshold 0.99*'
        $written | Should -HaveCount 1
        $written[0].Passed | Should -BeFalse
    }

    It 'ends with the reading error, never a verdict, when the runs cannot be read' {
        $broken = if ($Source -eq 'Local') { @{ Path = Join-Path $TestDrive 'no-such-folder' } } else { $from.Clone() }
        if ($Source -eq 'Api') { $broken.ApiKey = ConvertTo-SecureString 'wrong-key' -AsPlainText -Force }
        { & $runbook @broken -Artifact weights:production -ApprovedDataset mnist:v3 -Threshold 0.9 -Destination (Join-Path $TestDrive "$Source-broken") } |
            Should -Throw -ErrorId $(if ($Source -eq 'Local') { 'WandbPathNotFound*' } else { 'WandbAuthenticationFailed*' })
    }
}

Describe 'Invoke-DeployGate over the W&B API: model:production (fin0002b''s model, aliased on the server)' {
    BeforeAll {
        $api = $sources.Api
    }

    AfterEach {
        $null = Invoke-RestMethod -Method Delete -Uri "$($server.Url)/_fake/faults"
    }

    It 'passes by default (-Artifact model:production) when mnist:v4, what fin0002b used, is approved' {
        $dest = Join-Path $TestDrive 'production'
        $result = & $runbook @api -ApprovedDataset mnist:v4 -Threshold 0.9 -Destination $dest
        $result.Passed | Should -BeTrue
        $result.Reference | Should -BeExactly 'model:v0'
        $result.ProducerRunId | Should -BeExactly 'fin0002b'
        $result.MetricValue | Should -Be 0.95
        $result.Reason | Should -BeExactly "model:production (model:v0) was produced by fin0002b (calm-forest-2), which finished with accuracy 0.95 >= 0.9 and used mnist:v4; 2 files saved and verified in $dest."
        @($result.Files | ForEach-Object { $_.Name + '=' + $_.Length } | Sort-Object) | Should -Be @('config.json=412', 'model.pt=4718592')
    }

    It 'rejects it when mnist:v3 is the approved version' {
        $result = & $runbook @api -ApprovedDataset mnist:v3 -Threshold 0.9 -Destination (Join-Path $TestDrive 'production-v3')
        $result.Passed | Should -BeFalse
        $result.UsedDatasets | Should -Be @('mnist:v4')
        $result.Reason | Should -BeExactly 'Rejected: its producer fin0002b used mnist:v4, not the approved mnist:v3.'
    }

    It 'rejects a download whose bytes fail their digest, and leaves no file under that name' {
        $dest = Join-Path $TestDrive 'production-corrupt'
        $fault = @{ files = $true; kind = 'corrupt'; variablesContain = 'model.pt' } | ConvertTo-Json
        $null = Invoke-RestMethod -Method Post -Uri "$($server.Url)/_fake/faults" -ContentType 'application/json' -Body $fault
        $result = & $runbook @api -ApprovedDataset mnist:v4 -Threshold 0.9 -Destination $dest
        $result.Passed | Should -BeFalse
        $result.Reason | Should -Match '^Rejected: 1 of its files could not be saved and verified \(.*model\.pt.*\)\.$'
        (Get-Tree $dest) -join ',' | Should -BeExactly 'config.json'
    }
}
