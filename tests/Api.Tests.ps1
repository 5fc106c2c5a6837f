# The API source against the project's loopback W&B server, started by this test in its own process: the same
# runbook questions as against local folders, the connection cmdlets, and errors. Runs where pwsh and Pester 5 are.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:server = Start-FakeWandb -WandbFolder $wandb -Entity 'acme-ml' -Project 'mnist-sweep' `
        -ApiKey 'local-pester0123456789abcdef0123456789abcdef01' -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:apiKey = $server.ApiKey
    $script:key = $server.Key
    $script:url = $server.Url
    $script:api = @{ Project = 'mnist-sweep'; Entity = 'acme-ml'; BaseUrl = $url; ApiKey = $key }
    $script:local = @{ Path = $wandb }
}

AfterAll {
    Disconnect-Wandb
    Stop-FakeWandb -Server $server
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

Describe 'Pipeline binding of API runs' {
    BeforeAll {
        # No ./wandb and no connection here: whatever is read must come from the piped objects' own project.
        Push-Location $TestDrive
        $script:connection = @{ BaseUrl = $url; ApiKey = $key }
    }

    AfterAll {
        Pop-Location
    }

    It 'takes a [pscustomobject] with Id and Project to the API' {
        $run = @([pscustomobject]@{ Id = 'fin0002b'; Project = 'acme-ml/mnist-sweep' } | Get-WandbRun @connection)
        $run.Id | Should -Be @('fin0002b')
        $run.Source | Should -Be @('Api')
    }

    It 'takes the rows of a CSV of API runs back to the API' {
        $csv = Join-Path $TestDrive 'api-runs.csv'
        Get-WandbRun @api -Id fin0001a, fin0003c | Export-Csv -LiteralPath $csv
        $back = @(Import-Csv -LiteralPath $csv | Get-WandbRun @connection)
        $back.Id -join ',' | Should -Be 'fin0001a,fin0003c'
        ($back.Source | Select-Object -Unique) | Should -Be 'Api'
    }

    It 'goes from an API artifact to its run''s summary by RunId and RunProject' {
        $artifact = Get-WandbRun @api -Id fin0001a | Get-RunLoggedArtifact -Name model:latest
        $artifact.RunProject | Should -Be 'mnist-sweep'
        $artifact.RunEntity | Should -Be 'acme-ml'
        $row = @($artifact | Get-RunSummary @connection -Key accuracy)
        $row.RunId | Should -Be @('fin0001a')
        $row.RunPath | Should -Be @($null)
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

Describe 'Transport security' {
    It 'refuses plain http to a host that is not loopback, sending nothing, unless -AllowInsecure is given' {
        # The fake server doubles as the HTTP proxy: wandb.invalid is reachable only through -Proxy.
        $insecure = @{ Project = 'acme-ml/mnist-sweep'; BaseUrl = 'http://wandb.invalid:8080'; ApiKey = $key; Proxy = $url }
        $caught = $null
        try { Get-WandbRun @insecure } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInsecureConnection,*'
        $caught.CategoryInfo.Category | Should -Be 'SecurityError'
        $caught.Exception.Message | Should -BeLike '*-AllowInsecure*'
        @(Get-WandbRun @insecure -AllowInsecure) | Should -HaveCount 8
    }

    It 'withholds the key and its Basic header when an error page repeats the request' {
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("api:$apiKey"))
        $fault = @{ kind = 'status'; status = 401; contentType = 'text/html'; body = '<html><head><title>401 {authorization} {credentials}</title></head></html>' } | ConvertTo-Json
        $null = Invoke-RestMethod -Method Post -Uri "$url/_fake/faults" -Body $fault -ContentType 'application/json'
        $caught = $null
        try { Get-WandbRun @api } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'WandbAuthenticationFailed,*'
        $caught.Exception.Message.Contains('[API key withheld]') | Should -BeTrue
        $shown = ($caught | Out-String) + ($caught | ConvertTo-Json -Depth 2 -WarningAction SilentlyContinue) + $caught.Exception.ToString()
        $shown.Contains($apiKey) | Should -BeFalse
        $shown.Contains($basic) | Should -BeFalse
    }

    It 'takes -ApiKey only as a SecureString and does not echo a plain string' {
        (Get-Command Connect-Wandb).Parameters['ApiKey'].ParameterType | Should -Be ([System.Security.SecureString])
        $caught = $null
        try { Connect-Wandb -BaseUrl $url -ApiKey $apiKey } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        ($caught | Out-String).Contains($apiKey) | Should -BeFalse
    }
}

Describe 'System.Text.Json, which writes every request body' {
    BeforeAll {
        $null = Get-WandbRun @api -First 1
        $script:json = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.GetName().Name -eq 'System.Text.Json' }
        $script:moduleBin = Join-Path (Get-Module WandbRunOps).ModuleBase 'bin'
    }

    It 'is loaded once' {
        @($json) | Should -HaveCount 1
    }

    It 'comes from bin/desktop on Windows PowerShell 5.1' -Skip:($PSVersionTable.PSEdition -ne 'Desktop') {
        Split-Path $json.Location | Should -Be (Join-Path $moduleBin 'desktop')
    }

    It 'is the runtime''s own copy on PowerShell 7' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $json.Location | Should -Not -BeLike "$moduleBin*"
        $json.GetName().Version | Should -BeGreaterOrEqual ([version]'8.0.0.0')
    }
}
