# The API source against the project's loopback W&B server, started by this test in its own process: the same
# runbook questions as against local folders, the connection cmdlets, and errors. Runs where pwsh and Pester 5 are.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:apiKey = 'local-pester0123456789abcdef0123456789abcdef01'

    $serverProject = Join-Path $WandbRunOpsRepoRoot 'tests/WandbRunOps.FakeWandb'
    $script:serverLog = Join-Path $TestDrive 'fakewandb.log'
    $arguments = @('run', '--project', $serverProject, '-c', 'Release', '--', '--port', '0', '--data', $wandb,
        '--entity', 'acme-ml', '--project', 'mnist-sweep', '--api-key', $apiKey)
    $script:server = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -RedirectStandardOutput $serverLog -PassThru -NoNewWindow
    $deadline = (Get-Date).AddSeconds(120)
    $script:url = $null
    while (-not $url -and (Get-Date) -lt $deadline) {
        Start-Sleep -Milliseconds 250
        if (Test-Path $serverLog) {
            $match = Select-String -Path $serverLog -Pattern 'Listening on (http://127\.0\.0\.1:\d+)' | Select-Object -First 1
            if ($match) { $script:url = $match.Matches[0].Groups[1].Value }
        }
    }
    if (-not $url) { throw "The loopback W&B server did not start: $(Get-Content $serverLog -Raw)" }

    $script:key = [System.Security.SecureString]::new()
    foreach ($c in $apiKey.ToCharArray()) { $key.AppendChar($c) }
    $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $url; ApiKey = $key }
    $script:local = @{ Path = $wandb }
}

AfterAll {
    Disconnect-Wandb
    if ($server -and -not $server.HasExited) { Stop-Process -Id $server.Id -Force }
}

Describe 'Get-WandbRun over the W&B API' {
    It 'lists the same runs as the local folders, in the same order' {
        $remote = @(Get-WandbRun @api)
        $remote | Should -HaveCount 8
        ($remote.Id -join ',') | Should -Be ((Get-WandbRun @local).Id -join ',')
        $remote[0].Source | Should -Be 'Api'
        $remote[0].CreatedAt.Kind | Should -Be 'Utc'
        $remote[0].Url | Should -BeLike "$url/acme-ml/mnist-sweep/runs/fin0001a"
    }

    It 'answers <Question> the same way as locally' -TestCases @(
        @{ Question = 'learning rate above 0.01'; Script = { param($s) Get-WandbRun @s | Get-RunConfig | Where-Object learning_rate -gt 0.01 | ForEach-Object RunId } }
        @{ Question = 'the best run by accuracy'; Script = { param($s) Get-WandbRun @s | Where-Object { $_.Summary.accuracy -is [double] -and -not [double]::IsNaN($_.Summary.accuracy) } | Sort-Object { $_.Summary.accuracy } -Descending | Select-Object -First 1 -ExpandProperty Id } }
        @{ Question = 'runs per state'; Script = { param($s) Get-WandbRun @s | Group-Object State -NoElement | Sort-Object Name | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count } } }
        @{ Question = 'runtimes over an hour'; Script = { param($s) Get-WandbRun @s | Measure-RunRuntime | Where-Object Runtime -gt ([timespan]::FromHours(1)) | ForEach-Object RunId } }
        @{ Question = 'which finished runs logged model:latest'; Script = { param($s) Get-WandbRun @s | Where-Object State -eq Finished | ForEach-Object { '{0}={1}' -f $_.Id, [bool]($_ | Get-RunLoggedArtifact -Name model:latest -ErrorAction SilentlyContinue) } } }
        @{ Question = 'the average runtime'; Script = { param($s) (Get-WandbRun @s | Measure-RunRuntime | Measure-Object Seconds -Average).Average } }
    ) {
        $localAnswer = & $Script $local
        $remoteAnswer = & $Script $api
        $localAnswer | Should -Not -BeNullOrEmpty
        ($remoteAnswer -join '|') | Should -Be ($localAnswer -join '|')
    }

    It 'reports a missing run as WandbRunNotFound with entity/project/id as target' {
        Get-WandbRun @api -Id zzzz9999 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'acme-ml/mnist-sweep/zzzz9999'
    }

    It 'fails with WandbAuthenticationFailed, naming where the key came from but never the key' {
        $bad = [System.Security.SecureString]::new()
        foreach ($c in 'bad-key-never-shown'.ToCharArray()) { $bad.AppendChar($c) }
        $caught = $null
        try { Get-WandbRun -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $bad } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbAuthenticationFailed,*'
        $caught.Exception.Message | Should -BeLike '*-ApiKey parameter*'
        ($caught | Out-String) | Should -Not -BeLike '*bad-key-never-shown*'
    }
}

Describe 'Connect-Wandb' {
    It 'checks the key, sets the session defaults, and never shows the key' {
        $connection = Connect-Wandb -Project acme-ml/mnist-sweep -BaseUrl $url -ApiKey $key
        $connection.Username | Should -Be 'ana'
        $connection.KeySource | Should -Be 'Parameter'
        ($connection | ConvertTo-Json) | Should -Not -BeLike "*$apiKey*"
        ($connection | Format-List * | Out-String) | Should -Not -BeLike "*$apiKey*"
        (Get-WandbConnection).Project | Should -Be 'mnist-sweep'
        @(Get-WandbRun) | Should -HaveCount 8
        Disconnect-Wandb
        Get-WandbConnection | Should -BeNullOrEmpty
    }
}
